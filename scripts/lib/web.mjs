// Builds the web app (apps/web -> apps/web/dist) when its sources are newer than the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { step } from './log.mjs';
import { ROOT } from './tools.mjs';

const WEB = join(ROOT, 'apps', 'web');
const BUILT = join(WEB, 'dist', 'index.html');
// Written after a production build: a dist/ built without it (by an older script, under a test
// runner's NODE_ENV=test) holds React's development build and is rebuilt.
const PRODUCTION_MARK = join(WEB, 'dist', '.production-build');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/ is missing or older than any source, config or the lockfile. */
export function webBuildIsStale() {
  if (!existsSync(BUILT) || !existsSync(PRODUCTION_MARK)) return true;
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
    newestMtime(join(WEB, p)),
  );
  inputs.push(newestMtime(join(ROOT, 'pnpm-lock.yaml')));
  return Math.max(...inputs) > statSync(BUILT).mtimeMs;
}

/** Runs `vite build` for apps/web unless the build is up to date. Throws when the build fails. */
export function ensureWebBuild({ force = false } = {}) {
  if (!force && !webBuildIsStale()) return false;
  step('building the web app (apps/web)');
  const vite = join(WEB, 'node_modules', 'vite', 'bin', 'vite.js');
  // Always a production build: Vite follows NODE_ENV, and a test runner's NODE_ENV=test would
  // ship React's development build (1.7x the JavaScript, several times slower to render).
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`the web app build failed (exit ${result.status})`);
  writeFileSync(PRODUCTION_MARK, '');
  return true;
}

/**
 * Production size of the web app: builds apps/web and reports what the first screen downloads
 * (index.html plus the scripts, styles and preloads it references) raw and gzipped, and every
 * lazily loaded chunk. Run: node --import tsx bench/web-size.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const WEB = join(__dirname, '..', 'apps', 'web');
const DIST = join(WEB, 'dist');

const build = spawnSync(
  process.execPath,
  [join(WEB, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'],
  { cwd: WEB, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const size = (file: string) => {
  const bytes = readFileSync(join(DIST, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
const firstScreen = ['index.html', ...referenced].map((file) => ({ file, ...size(file) }));
const lazy = readdirSync(join(DIST, 'assets'))
  .map((f) => `assets/${f}`)
  .filter((f) => !referenced.includes(f))
  .map((file) => ({ file, ...size(file) }))
  .sort((a, b) => b.gzip - a.gzip);

const total = firstScreen.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), {
  raw: 0,
  gzip: 0,
});
console.log('first screen (index.html and what it loads):');
for (const f of firstScreen)
  console.log(`  ${f.file.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gzip`);
console.log(
  `  ${'total'.padEnd(40)} ${kb(total.raw).padStart(10)} ${kb(total.gzip).padStart(10)} gzip (goal <= 250 kB)`,
);
console.log('loaded on demand:');
for (const f of lazy)
  console.log(`  ${f.file.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gzip`);
if (total.gzip > 250 * 1024) process.exitCode = 1;

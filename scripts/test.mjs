#!/usr/bin/env node
// `npm test`: installs what is needed, starts Redis if none answers, runs the static checks and the
// whole jest suite, and ends with one line: `tests: N passed, M failed`.
// Each static check (format, lint, typecheck, cycles, dependency audit) counts as one test in that
// line; an audit that could not reach any advisory service is printed as skipped and not counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bold, green, red, step, yellow } from './lib/log.mjs';
import { DEFAULT_REDIS_URL, REDIS_INSTALL_HINT, ensureRedis } from './lib/redis.mjs';
import { ROOT, ensureAptPackages, ensurePnpm, installDependencies } from './lib/tools.mjs';

const jestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function finish(code) {
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

let pnpm;
try {
  // System packages the suite drives for real (as root with apt-get; otherwise they must be present).
  const missing = ensureAptPackages([
    { command: 'redis-server', apt: 'redis-server' },
    // The browser tests (test/e2e/web*.test.ts) drive Debian's Chromium; none is downloaded.
    { command: 'chromium', apt: 'chromium' },
    // The topology test and load benchmarks put nginx in front of the gateways; the deployment
    // files are validated with docker-compose and promtool (test/ops/infra-config.test.ts).
    { command: 'nginx', apt: 'nginx' },
    { command: 'docker-compose', apt: 'docker-compose' },
    { command: 'promtool', apt: 'prometheus' },
  ]);
  for (const pkg of missing)
    console.log(
      red(`missing system package: ${pkg.apt} (install it: apt-get install -y ${pkg.apt})`),
    );
  pnpm = ensurePnpm();
  installDependencies(pnpm);
} catch (error) {
  console.error(red(`set-up failed: ${error.message}`));
  failed++;
  finish(1);
}

const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
const redis = await ensureRedis(redisUrl, join(ROOT, 'data', 'test')).catch((error) => ({ error }));
if (redis.error || redis.missing) {
  console.error(red(redis.error?.message ?? REDIS_INSTALL_HINT));
  failed++;
  finish(1);
}

const env = { ...process.env, REDIS_URL: redisUrl, NODE_ENV: 'test' };
function run(label, args) {
  step(label);
  const result = spawnSync(pnpm, args, { cwd: ROOT, env, stdio: 'inherit' });
  return result.status === 0;
}

if (jestArgs.length === 0) {
  for (const [label, script] of [
    ['format check (prettier)', 'format:check'],
    ['lint (eslint)', 'lint'],
    ['typecheck (tsc)', 'typecheck'],
    ['import cycles (madge)', 'cycles'],
  ]) {
    if (run(label, ['run', script])) {
      passed++;
      console.log(green(`  ✓ ${label}`));
    } else {
      failed++;
      console.log(red(`  ✗ ${label}`));
    }
  }
  // Exit 3: no advisory service answered; shown as skipped, counted neither passed nor failed.
  const label = 'dependency audit (pnpm audit --prod)';
  step(label);
  const audit = spawnSync(process.execPath, [join(ROOT, 'scripts', 'audit.mjs')], {
    cwd: ROOT,
    env: { ...env, PNPM: pnpm },
    stdio: 'inherit',
  }).status;
  if (audit === 0) {
    passed++;
    console.log(green(`  ✓ ${label}`));
  } else if (audit === 3) {
    console.log(yellow(`  - ${label}: SKIPPED, no advisory service reachable (see above)`));
  } else {
    failed++;
    console.log(red(`  ✗ ${label}`));
  }
}

const resultsDir = join(ROOT, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, 'jest.json');
rmSync(resultsFile, { force: true });
step('jest');
spawnSync(pnpm, ['exec', 'jest', '--json', `--outputFile=${resultsFile}`, ...jestArgs], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  // A suite that fails to load has no failed tests but must still fail the run.
  const brokenSuites = results.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  );
  for (const suite of brokenSuites) console.log(red(`  ✗ suite failed to run: ${suite.name}`));
  failed += brokenSuites.length;
} else {
  console.log(red('jest produced no results'));
  failed++;
}
await redis.stop();
console.log(bold(failed === 0 ? green('all green') : red('failures above')));
finish(failed === 0 ? 0 : 1);

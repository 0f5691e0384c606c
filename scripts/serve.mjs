#!/usr/bin/env node
// Runs the embedded stack: Redis (started if none answers), gateway, resume-worker, email-worker.
// Dependencies must be installed (`npm start` does that first). Stops everything on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { bold, fail, green, step, yellow } from './lib/log.mjs';
import { DEFAULT_REDIS_URL, REDIS_INSTALL_HINT, ensureRedis } from './lib/redis.mjs';
import { ROOT } from './lib/tools.mjs';

const dataDir = resolve(process.env.DATA_DIR ?? join(ROOT, 'data'));
const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
if (!existsSync(tsx))
  fail('Dependencies are not installed: run `npm start` (it installs them) or `pnpm install`.');
mkdirSync(join(dataDir, 'logs'), { recursive: true });

const redis = await ensureRedis(redisUrl, dataDir).catch((error) => fail(error.message));
if (redis.missing) fail(REDIS_INSTALL_HINT);

const env = { ...process.env, DATA_DIR: dataDir, REDIS_URL: redisUrl };

/** One admin API key per data folder, created on first start and kept in DATA_DIR/api-key (mode 600). */
function apiKey() {
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  step('creating the first user and its API key');
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/gateway/src/admin.ts',
      'create-user',
      '--name',
      'Local admin',
      '--role',
      'admin',
    ],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) fail(`could not create an API key:\n${result.stderr}`);
  const key = result.stdout.trim();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
const key = apiKey();

const children = new Map();
let stopping = false;

function start(name, entry) {
  const logFile = createWriteStream(join(dataDir, 'logs', `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    // The IPC channel carries the gateway's URL, so it is announced at any LOG_LEVEL.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.set(name, child);
  child.on('message', (message) => {
    if (message?.type === 'gateway.listening') onGatewayReady(message.url);
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      logFile.write(`${line}\n`);
      let parsed = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        /* not a JSON log line */
      }
      if (!parsed || parsed.level === 'error' || parsed.level === 'warn')
        console.log(`${yellow(`[${name}]`)} ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(
        `${name} exited unexpectedly (${signal ?? code}); see ${join(dataDir, 'logs', `${name}.log`)}`,
      );
      void stopAll(1);
    }
  });
}

function onGatewayReady(url) {
  console.log('');
  console.log(`${green('✓')} Shortlist is running at ${bold(url)}`);
  console.log(`  API key: ${bold(key)}`);
  console.log(`  Try:     curl -H "Authorization: Bearer ${key}" ${url}/v1/jobs`);
  console.log(`  Logs:    ${join(dataDir, 'logs')}   Data: ${dataDir}`);
  console.log('  Stop:    Ctrl-C');
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) => new Promise((res) => (child.exitCode !== null ? res() : child.once('exit', res))),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 30_000);
  await Promise.all(exits);
  clearTimeout(timer);
  await redis.stop();
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

start('gateway', 'apps/gateway/src/main.ts');
start('resume-worker', 'apps/resume-worker/src/main.ts');
start('email-worker', 'apps/email-worker/src/main.ts');

// Finds a Redis answering on REDIS_URL, or starts redis-server from PATH.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { hasCommand } from './tools.mjs';
import { step } from './log.mjs';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Resolves true when something at `url` answers PING with PONG. */
export function redisAnswers(url, timeoutMs = 1_000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Makes sure Redis answers on `url`. When nothing does and the URL is local, starts
 * `redis-server` with its data under `dataDir` and returns a stop function; when redis-server is
 * not installed, returns `{ missing: true }` so the caller can say what to install.
 */
export async function ensureRedis(url, dataDir, { detached = false } = {}) {
  if (await redisAnswers(url)) return { started: false, stop: async () => {} };
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(
      `Redis at ${url} does not answer, and it is not a local address we could start.`,
    );
  }
  if (!hasCommand('redis-server')) return { missing: true };
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  step(`starting redis-server on 127.0.0.1:${port || 6379} (data in ${dir})`);
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port || 6379),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore', detached },
  );
  if (detached) child.unref();
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) {
      return {
        started: true,
        pid: child.pid,
        stop: async () => {
          child.kill('SIGTERM');
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server started but does not answer PING');
}

export const REDIS_INSTALL_HINT =
  'Redis is needed. Install it with:\n' +
  '  Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
  '  macOS:         brew install redis\n' +
  'or point REDIS_URL at a running Redis.';

import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@shortlist/observability';
import { defineProgressScript } from './progress';

/**
 * - `producer`: request paths (gateway). Fails fast when Redis is down so the caller can answer
 *   503 instead of hanging on an offline queue.
 * - `worker`: BullMQ workers and long-lived consumers. Retries forever (BullMQ requires
 *   `maxRetriesPerRequest: null` for blocking commands).
 * - `subscriber`: pub/sub listeners; reconnects and re-subscribes on its own.
 */
export type RedisRole = 'producer' | 'worker' | 'subscriber';

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 },
  worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
  subscriber: { maxRetriesPerRequest: null },
};

/**
 * Opens a Redis connection configured for `role`, with an `error` listener attached (an
 * unhandled `error` event would crash the process) that logs at most once per 5 s, and the
 * progress script defined. With `enableAutoPipelining`, define any other custom command
 * (`defineCommand`) before the connection's first command: one defined while an automatic
 * pipeline is open is missing from it, and ioredis crashes on that pipeline's reply.
 */
export function createRedis(
  url: string,
  role: RedisRole,
  logger?: Logger,
  extra: RedisOptions = {},
): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[role],
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3_000),
    connectionName: `shortlist-${role}`,
    lazyConnect: false,
    ...extra,
  });
  // Custom commands are defined before the first command is sent: an auto-pipelining connection
  // could not send one defined later in the same tick (see defineProgressScript).
  defineProgressScript(redis);
  let lastLogged = 0;
  redis.on('error', (error) => {
    const now = Date.now();
    if (now - lastLogged < 5_000) return;
    lastLogged = now;
    logger?.warn('redis connection error', { role, error: error.message });
  });
  return redis;
}

/** Resolves once `redis` is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export type { Redis };

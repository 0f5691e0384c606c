import { createApiKey, createUserWithKey, revokeApiKey, rotateApiKey } from '@shortlist/auth';
import { AppError, QueueNames, type ApiKey } from '@shortlist/contracts';
import { createRedis, Producer, waitForRedis } from '@shortlist/queue';
import type { Store } from '@shortlist/store';
import { CliError, ExitCode } from '../exit-codes';
import { localEnv, openLocalStore } from '../local/local-env';
import { colorsFor, say } from '../output/terminal';
import { explainMissingRoute, type ApiClient } from '../remote/api-client';
import type { GlobalOptions } from './options';
import { remoteClient, requireClient } from './shared';

export interface AdminOptions extends GlobalOptions {
  local?: boolean;
  dataDir?: string;
  json?: boolean;
}

type QueueDepths = Record<string, Record<string, number>>;

const LOCAL_HINT = 'On the server machine, run the same command with --local.';
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** Server mode unless --local: admin commands act on the server's data through its admin API. */
const serverOf = (options: AdminOptions): ApiClient | null =>
  options.local ? null : remoteClient(options);

/** A server call whose route may not exist on older servers. */
function call<T>(promise: Promise<T>, route: string): Promise<T> {
  return promise.catch((error: unknown) => explainMissingRoute(error, route, LOCAL_HINT));
}

async function withLocalStore<T>(
  options: AdminOptions,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openLocalStore(localEnv({ dataDir: options.dataDir }));
  try {
    return await fn(store);
  } catch (error) {
    if (error instanceof AppError) {
      const rejected = error.code === 'not_found' || error.code === 'conflict';
      throw new CliError(error.message, rejected ? ExitCode.rejected : ExitCode.failure);
    }
    throw error;
  } finally {
    await store.close();
  }
}

const print = (options: AdminOptions, json: unknown, text: string) =>
  process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);

const keyLine = (key: ApiKey) =>
  `${key.id}  ${key.prefix}…  ${key.label || '-'}  created ${key.createdAt}` +
  (key.revokedAt ? `  REVOKED ${key.revokedAt}` : '');

const userPath = (userId: string, rest = '') =>
  `/v1/admin/users/${encodeURIComponent(userId)}${rest}`;

export async function createUser(
  input: { name: string; role: 'member' | 'admin'; label: string },
  options: AdminOptions,
): Promise<void> {
  const client = serverOf(options);
  const result = client
    ? await call(
        client.post<{ user: { id: string }; apiKey: string }>('/v1/admin/users', input),
        'POST /v1/admin/users',
      )
    : await withLocalStore(options, (store) => createUserWithKey(store, input));
  if (!options.json) say(`Created user ${result.user.id} (${input.role}); its key, shown once:`);
  print(options, { userId: result.user.id, apiKey: result.apiKey }, result.apiKey);
}

export async function createKey(
  input: { user: string; label: string },
  options: AdminOptions,
): Promise<void> {
  const client = serverOf(options);
  const apiKey = client
    ? (
        await call(
          client.post<{ apiKey: string }>(userPath(input.user, '/keys'), { label: input.label }),
          'POST /v1/admin/users/:id/keys',
        )
      ).apiKey
    : await withLocalStore(options, (store) => createApiKey(store, input.user, input.label));
  print(options, { userId: input.user, apiKey }, apiKey);
}

export async function listKeys(input: { user: string }, options: AdminOptions): Promise<void> {
  const client = serverOf(options);
  const keys = client
    ? (
        await call(
          client.get<{ items: ApiKey[] }>(userPath(input.user, '/keys')),
          'GET /v1/admin/users/:id/keys',
        )
      ).items
    : await withLocalStore(options, (store) => store.apiKeys.list(input.user));
  print(options, keys, keys.map(keyLine).join('\n') || '(no keys)');
}

export async function rotateKey(
  keyId: string,
  input: { user: string },
  options: AdminOptions,
): Promise<void> {
  const client = serverOf(options);
  const result = client
    ? await call(
        client.post<{ apiKey: string }>(
          userPath(input.user, `/keys/${encodeURIComponent(keyId)}/rotate`),
        ),
        'POST /v1/admin/users/:id/keys/:keyId/rotate',
      )
    : await withLocalStore(options, (store) => rotateApiKey(store, input.user, keyId));
  if (!options.json) say(`Rotated ${keyId}: it no longer works. The new key, shown once:`);
  print(options, result, result.apiKey);
}

export async function revokeKey(
  keyId: string,
  input: { user: string },
  options: AdminOptions,
): Promise<void> {
  const client = serverOf(options);
  if (client)
    await call(
      client.request('DELETE', userPath(input.user, `/keys/${encodeURIComponent(keyId)}`)),
      'DELETE /v1/admin/users/:id/keys/:keyId',
    );
  else await withLocalStore(options, (store) => revokeApiKey(store, input.user, keyId));
  print(options, { keyId, revoked: true }, `Revoked ${keyId}`);
}

export async function queues(options: AdminOptions): Promise<void> {
  const client = serverOf(options);
  const depths = client
    ? await call(client.get<QueueDepths>('/v1/queues'), 'GET /v1/queues')
    : await localQueueDepths();
  const c = colorsFor(process.stdout, options);
  const text = Object.entries(depths)
    .map(([queue, counts]) => {
      const states = Object.entries(counts).map(([state, n]) => `${state} ${n}`);
      return `${c.bold(queue.padEnd(16))} ${states.join('  ')}`;
    })
    .join('\n');
  print(options, depths, text);
}

export async function cacheStats(options: AdminOptions): Promise<void> {
  const client = requireClient(options, 'admin cache stats');
  const stats = await call(
    client.get<Record<string, unknown>>('/v1/cache/stats'),
    'GET /v1/cache/stats',
  );
  const text = Object.entries(stats)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
  print(options, stats, text);
}

export async function cacheInvalidate(
  input: { job?: string },
  options: AdminOptions,
): Promise<void> {
  const client = requireClient(options, 'admin cache invalidate');
  const result = await call(
    client.request<Record<string, unknown> | undefined>('POST', '/v1/cache/invalidate', {
      json: input.job ? { jobId: input.job } : {},
    }),
    'POST /v1/cache/invalidate',
  );
  print(options, result ?? { invalidated: true }, `Invalidated: ${JSON.stringify(result ?? {})}`);
}

/** Queue depths read straight from Redis (REDIS_URL, REDIS_PREFIX), as the gateway would. */
async function localQueueDepths(): Promise<QueueDepths> {
  const env = localEnv();
  const redis = createRedis(env.REDIS_URL, 'producer');
  try {
    await waitForRedis(redis, 3_000).catch(() => {
      throw new CliError(`Cannot reach Redis at ${env.REDIS_URL}.`, ExitCode.unavailable);
    });
    const out: QueueDepths = {};
    for (const name of Object.values(QueueNames)) {
      const producer = new Producer(name, { connection: redis, prefix: env.REDIS_PREFIX });
      const counts = await producer.queue.getJobCounts(...JOB_STATES);
      out[name] = Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0]));
      await producer.queue.close();
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

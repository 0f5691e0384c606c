import { LocalBlobStore } from '@shortlist/blobs';
import { CriteriaReuseIndex, NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import { createHealth, createLogger, createRegistry } from '@shortlist/observability';
import { ProgressHub, Producer, createRedis, waitForRedis } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import { TEST_REDIS_URL, deletePrefix, tempDir, testRedis, uniquePrefix } from '@shortlist/testkit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { createApp, type GatewayApp } from '../src/app';
import { createUserWithKey } from '../src/auth';
import type { GatewayDeps, UploadLimits } from '../src/deps';
import type { RateLimitConfig } from '../src/http/rate-limit';

export interface HarnessOptions {
  limits?: Partial<UploadLimits>;
  rateLimits?: Partial<RateLimitConfig>;
  /** Share Redis keys (rate limits, progress) with another harness: two replicas of one deployment. */
  prefix?: string;
  /** Share the SQLite file and blob folder with another harness. */
  dir?: string;
  redisUrl?: string;
  trustProxyHops?: number;
  extra?: Partial<GatewayDeps>;
}

/** Limits generous enough that ordinary tests never meet them. */
const ROOMY: RateLimitConfig = {
  perIpPerMinute: 100_000,
  readsPerMinute: 100_000,
  writesPerMinute: 100_000,
  uploadsPerMinute: 100_000,
  resumesPerHour: 1_000_000,
};

/** A gateway app on a temp SQLite file, temp blob folder and a private Redis prefix. */
export async function gatewayHarness(options: HarnessOptions | Partial<UploadLimits> = {}) {
  const opts: HarnessOptions =
    'maxFileBytes' in options || 'maxFiles' in options || 'maxBatchBytes' in options
      ? { limits: options as Partial<UploadLimits> }
      : (options as HarnessOptions);
  const ownDir = opts.dir ? null : await tempDir('gateway-test');
  const dirPath = opts.dir ?? ownDir!.path;
  const prefix = opts.prefix ?? uniquePrefix('gw');
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const store = new SqliteStore({
    path: join(dirPath, 'test.db'),
    cursorSecret: 'test-cursor-secret-123',
  });
  const blobs = new LocalBlobStore(join(dirPath, 'blobs'));
  const redis = createRedis(redisUrl, 'producer', undefined, { commandTimeout: 2_000 });
  const subscriber = createRedis(redisUrl, 'subscriber');
  await waitForRedis(redis);
  const analysisQueue = new Producer('resume-analysis', { connection: redis, prefix });
  const emailQueue = new Producer('email-delivery', { connection: redis, prefix });
  const logStream = new PassThrough();
  const logs: string[] = [];
  logStream.on('data', (c: Buffer) => logs.push(c.toString()));
  const logger = createLogger({ component: 'gateway-test', stream: logStream, level: 'debug' });
  const progress = new ProgressHub({ subscriber, reader: redis, prefix, logger });
  const deps: GatewayDeps = {
    store,
    blobs,
    analysisQueue,
    emailQueue,
    redis,
    redisPrefix: prefix,
    progress,
    logger,
    registry: createRegistry('gateway-test'),
    health: createHealth({ redis: () => redis.ping(), store: () => store.ping() }),
    limits: { maxFileBytes: 1_000_000, maxFiles: 50, maxBatchBytes: 5_000_000, ...opts.limits },
    rateLimits: { ...ROOMY, ...opts.rateLimits },
    trustProxyHops: opts.trustProxyHops ?? 0,
    sseHeartbeatSeconds: 1,
    cache: {
      cache: new RedisCache({ redis, prefix }),
      nearDuplicates: new NearDuplicateIndex({ redis, prefix, ttlSeconds: 3600 }),
      criteriaReuse: new CriteriaReuseIndex({ redis, prefix, ttlSeconds: 3600 }),
    },
    ...opts.extra,
  };
  const app: GatewayApp = createApp(deps);
  const alice = await createUserWithKey(store, { name: 'Alice', role: 'member' });
  const bob = await createUserWithKey(store, { name: 'Bob', role: 'member' });
  const root = await createUserWithKey(store, { name: 'Root', role: 'admin' });
  const servers: Server[] = [];
  return {
    app,
    deps,
    store,
    blobs,
    redis,
    prefix,
    dir: dirPath,
    logs,
    alice: { ...alice.user, key: alice.apiKey, auth: `Bearer ${alice.apiKey}` },
    bob: { ...bob.user, key: bob.apiKey, auth: `Bearer ${bob.apiKey}` },
    admin: { ...root.user, key: root.apiKey, auth: `Bearer ${root.apiKey}` },
    /** Serves the app on a real HTTP server at 127.0.0.1 (closed by `close()`). */
    async listen(): Promise<{ server: Server; url: string }> {
      const server = createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
    async close(options: { keepData?: boolean } = {}) {
      await app.close();
      await progress.close();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await analysisQueue.close().catch(() => undefined);
      await emailQueue.close().catch(() => undefined);
      if (!options.keepData && redisUrl === TEST_REDIS_URL) {
        const cleaner = testRedis();
        await deletePrefix(cleaner, prefix);
        await cleaner.quit();
      }
      redis.disconnect();
      subscriber.disconnect();
      await store.close();
      if (ownDir && !options.keepData) await ownDir.remove();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof gatewayHarness>>;

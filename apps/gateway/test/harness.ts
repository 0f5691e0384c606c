import { LocalBlobStore } from '@shortlist/blobs';
import { createHealth, createLogger, createRegistry } from '@shortlist/observability';
import { Producer, createRedis } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import { TEST_REDIS_URL, deletePrefix, tempDir, testRedis, uniquePrefix } from '@shortlist/testkit';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { createUserWithKey } from '../src/auth';
import type { GatewayDeps, UploadLimits } from '../src/deps';

/** A gateway app on a temp SQLite file, temp blob folder and a private Redis prefix. */
export async function gatewayHarness(limits: Partial<UploadLimits> = {}) {
  const dir = await tempDir('gateway-test');
  const prefix = uniquePrefix('gw');
  const store = new SqliteStore({
    path: join(dir.path, 'test.db'),
    cursorSecret: 'test-cursor-secret-123',
  });
  const blobs = new LocalBlobStore(join(dir.path, 'blobs'));
  const redis = createRedis(TEST_REDIS_URL, 'producer');
  const analysisQueue = new Producer('resume-analysis', { connection: redis, prefix });
  const logStream = new PassThrough();
  const logs: string[] = [];
  logStream.on('data', (c: Buffer) => logs.push(c.toString()));
  const deps: GatewayDeps = {
    store,
    blobs,
    analysisQueue,
    logger: createLogger({ component: 'gateway-test', stream: logStream, level: 'debug' }),
    registry: createRegistry('gateway-test'),
    health: createHealth({ redis: () => redis.ping(), store: () => store.ping() }),
    limits: { maxFileBytes: 1_000_000, maxFiles: 50, maxBatchBytes: 5_000_000, ...limits },
    trustProxyHops: 0,
  };
  const app = createApp(deps);
  const alice = await createUserWithKey(store, { name: 'Alice', role: 'member' });
  const bob = await createUserWithKey(store, { name: 'Bob', role: 'member' });
  return {
    app,
    deps,
    store,
    blobs,
    prefix,
    dir: dir.path,
    logs,
    alice: { ...alice.user, key: alice.apiKey, auth: `Bearer ${alice.apiKey}` },
    bob: { ...bob.user, key: bob.apiKey, auth: `Bearer ${bob.apiKey}` },
    async close() {
      await analysisQueue.close();
      const cleaner = testRedis();
      await deletePrefix(cleaner, prefix);
      await cleaner.quit();
      await redis.quit();
      await store.close();
      await dir.remove();
    },
  };
}

import { loadEnv } from '@shortlist/config';
import { blobConfigFromEnv, openBlobStore } from '@shortlist/blobs';
import { NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
} from '@shortlist/observability';
import { Producer, createRedis, registerQueueMetrics } from '@shortlist/queue';
import { openStore, storeConfigFromEnv } from '@shortlist/store';
import { createApp } from './app';
import { GatewayEnv } from './env';
import { DEFAULT_WEB_DIR } from './static';

async function main(): Promise<void> {
  const env = loadEnv(GatewayEnv);
  const logger = createLogger({ component: 'gateway', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger);
  shutdown.installSignalHandlers();

  const store = await openStore(storeConfigFromEnv(env));
  shutdown.add('store', () => store.close());
  const blobs = await openBlobStore(blobConfigFromEnv(env));

  const redis = createRedis(env.REDIS_URL, 'producer', logger);
  shutdown.add('redis', () => redis.quit());
  const analysisQueue = new Producer('resume-analysis', {
    connection: redis,
    prefix: env.REDIS_PREFIX,
  });
  const emailQueue = new Producer('email-delivery', {
    connection: redis,
    prefix: env.REDIS_PREFIX,
  });
  shutdown.add('queues', () => Promise.all([analysisQueue.close(), emailQueue.close()]));

  const registry = createRegistry('gateway');
  registerQueueMetrics(registry, [analysisQueue.queue]);
  const health = createHealth({
    redis: () => redis.ping(),
    store: () => store.ping(),
    blobs: () => blobs.ping(),
  });

  const app = createApp({
    store,
    blobs,
    analysisQueue,
    emailQueue,
    logger,
    registry,
    health,
    limits: {
      maxFileBytes: env.MAX_FILE_BYTES,
      maxFiles: env.MAX_FILES_PER_BATCH,
      maxBatchBytes: env.MAX_BATCH_BYTES,
    },
    trustProxyHops: env.TRUST_PROXY_HOPS,
    cache: {
      cache: new RedisCache({ redis, prefix: env.REDIS_PREFIX }),
      nearDuplicates: new NearDuplicateIndex({ redis, prefix: env.REDIS_PREFIX, ttlSeconds: 1 }),
    },
    webDir: env.WEB_DIR === 'off' ? null : (env.WEB_DIR ?? DEFAULT_WEB_DIR),
  });

  const server = app.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    logger.info('gateway listening', { url: `http://${env.HOST}:${port}` });
  });
  server.keepAliveTimeout = 65_000;
  shutdown.add('http', async () => {
    health.setDraining();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

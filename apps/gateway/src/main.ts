import { loadEnv } from '@shortlist/config';
import { blobConfigFromEnv, openBlobStore } from '@shortlist/blobs';
import { CriteriaReuseIndex, NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
} from '@shortlist/observability';
import {
  ProgressHub,
  Producer,
  createRedis,
  registerQueueMetrics,
  waitForRedis,
} from '@shortlist/queue';
import { openStore, storeConfigFromEnv } from '@shortlist/store';
import { createApp } from './app';
import { firebaseIdTokens } from './firebase-auth';
import { drainServer } from './http/drain';
import { createGatewayServer } from './http/server';
import { GatewayEnv } from './env';
import { criteriaExtractorFor, mailHelpers } from './mail-llm';
import { DEFAULT_WEB_DIR } from './static';
import { RetentionSweeper, parseRetentionByTenant } from './retention';
import { jobWideCacheEraser } from './cache-eraser';

async function main(): Promise<void> {
  const env = loadEnv(GatewayEnv);
  const logger = createLogger({ component: 'gateway', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger);
  shutdown.installSignalHandlers();

  const store = await openStore(storeConfigFromEnv(env));
  shutdown.add('store', () => store.close());
  const blobs = await openBlobStore(blobConfigFromEnv(env));

  // Fail fast: a request never waits on a Redis that does not answer (503 instead).
  const redis = createRedis(env.REDIS_URL, 'producer', logger, { commandTimeout: 2_000 });
  const subscriber = createRedis(env.REDIS_URL, 'subscriber', logger);
  shutdown.add('redis', () => Promise.allSettled([redis.quit(), subscriber.quit()]));
  await waitForRedis(redis, 5_000).catch(() =>
    logger.warn('Redis is not answering yet; requests that need it answer 503 until it does'),
  );
  const progress = new ProgressHub({ subscriber, reader: redis, prefix: env.REDIS_PREFIX, logger });
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
  registerQueueMetrics(registry, [analysisQueue.queue, emailQueue.queue]);
  const health = createHealth({
    redis: () => redis.ping(),
    store: () => store.ping(),
    blobs: () => blobs.ping(),
  });

  const cache = {
    cache: new RedisCache({ redis, prefix: env.REDIS_PREFIX }),
    nearDuplicates: new NearDuplicateIndex({ redis, prefix: env.REDIS_PREFIX, ttlSeconds: 1 }),
    criteriaReuse: new CriteriaReuseIndex({
      redis,
      prefix: env.REDIS_PREFIX,
      ttlSeconds: 30 * 24 * 3600,
    }),
  };
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
    redis,
    redisPrefix: env.REDIS_PREFIX,
    progress,
    rateLimits: {
      perIpPerMinute: env.RATE_LIMIT_PER_IP_PER_MINUTE,
      readsPerMinute: env.RATE_LIMIT_READS_PER_MINUTE,
      writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE,
      uploadsPerMinute: env.RATE_LIMIT_UPLOADS_PER_MINUTE,
      resumesPerHour: env.QUOTA_RESUMES_PER_HOUR,
    },
    authFailures: {
      maxFailures: env.AUTH_FAILURES_PER_IP,
      windowSeconds: env.AUTH_FAILURE_WINDOW_SECONDS,
    },
    jsonLimits: { maxBytes: env.JSON_MAX_BYTES, maxDepth: env.JSON_MAX_DEPTH },
    corsOrigins: env.CORS_ORIGINS,
    unsubscribe: { secret: env.UNSUBSCRIBE_SECRET, publicUrl: env.PUBLIC_URL },
    mail: mailHelpers(env, { redis, prefix: env.REDIS_PREFIX, logger }),
    criteriaExtractor: criteriaExtractorFor(env, { redis, prefix: env.REDIS_PREFIX, logger }),
    idTokens: env.AUTH_MODE === 'firebase' ? firebaseIdTokens(env.FIREBASE_PROJECT_ID!) : null,
    cache,
    webDir: env.WEB_DIR === 'off' ? null : (env.WEB_DIR ?? DEFAULT_WEB_DIR),
  });

  const byTenant = parseRetentionByTenant(env.RETENTION_DAYS_BY_TENANT);
  if (env.RETENTION_DAYS > 0 || Object.values(byTenant).some((d) => d > 0)) {
    const retention = new RetentionSweeper({
      store,
      blobs,
      redis,
      prefix: env.REDIS_PREFIX,
      logger,
      policy: { defaultDays: env.RETENTION_DAYS, byTenant },
      cacheEraser: jobWideCacheEraser(cache),
      emailQueue,
    });
    retention.start(env.RETENTION_INTERVAL_MINUTES * 60_000);
    shutdown.add('retention', () => retention.stop());
  }

  const server = createGatewayServer(app, {
    headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  });
  server.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    const url = `http://${env.HOST}:${port}`;
    logger.info('gateway listening', { url });
    // A launcher holding an IPC channel (scripts/serve.mjs) learns the URL whatever LOG_LEVEL says.
    process.send?.({ type: 'gateway.listening', url });
  });
  shutdown.add('http', () =>
    drainServer(
      server,
      app,
      health,
      env.SHUTDOWN_GRACE_MS,
      logger,
      env.SHUTDOWN_READINESS_DELAY_MS,
    ),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

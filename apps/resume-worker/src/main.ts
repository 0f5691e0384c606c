import { blobConfigFromEnv, openBlobStore } from '@shortlist/blobs';
import { NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import { loadEnv } from '@shortlist/config';
import { extractorOptionsFromEnv } from '@shortlist/extract';
import type { AnalyseResumePayload } from '@shortlist/contracts';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
  startOpsServer,
} from '@shortlist/observability';
import {
  createRedis,
  createWorker,
  publishProgress,
  recordThroughput,
  type Job,
} from '@shortlist/queue';
import { openStore, storeConfigFromEnv } from '@shortlist/store';
import { ResumeWorkerEnv } from './env';
import { createAnalyser } from './pipeline/analyser';
import { threadedExtractor } from './pipeline/extraction';
import { buildEconomyScorer, buildScorer } from './pipeline/scorer';
import { createWorkerMetrics } from './pipeline/metrics';
import { analyseResumeProcessor } from './processors/analyse-resume.processor';

async function main(): Promise<void> {
  const env = loadEnv(ResumeWorkerEnv);
  const logger = createLogger({ component: 'resume-worker', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger, env.SHUTDOWN_GRACE_MS + 5_000);
  shutdown.installSignalHandlers();

  const store = await openStore(storeConfigFromEnv(env));
  shutdown.add('store', () => store.close());
  const blobs = await openBlobStore(blobConfigFromEnv(env));
  const connection = createRedis(env.REDIS_URL, 'worker', logger);
  // Cache, near-duplicate index, limiter and progress events: hundreds of resumes in flight each
  // send a few commands at a time, so commands issued in one tick go out in one write.
  const redis = createRedis(env.REDIS_URL, 'worker', logger, { enableAutoPipelining: true });
  shutdown.add('redis', async () => {
    await Promise.allSettled([connection.quit(), redis.quit()]);
  });

  const registry = createRegistry('resume-worker');
  const metrics = createWorkerMetrics(registry);
  const cache = new RedisCache({
    redis,
    prefix: env.REDIS_PREFIX,
    policies: {
      analysis: { ttlSeconds: env.CACHE_TTL_SECONDS, maxBytes: env.CACHE_MAX_BYTES },
      criteria: { ttlSeconds: env.CACHE_TTL_SECONDS },
    },
  });
  const nearDuplicates = env.SIMILARITY_CACHE
    ? new NearDuplicateIndex({ redis, prefix: env.REDIS_PREFIX, ttlSeconds: env.CACHE_TTL_SECONDS })
    : null;
  const scorer = buildScorer(env, { redis, prefix: env.REDIS_PREFIX, metrics, logger });
  const extractor = threadedExtractor(extractorOptionsFromEnv(env));
  shutdown.add('extractor', () => extractor.close());
  const economy = buildEconomyScorer(
    env,
    {
      windowMs: env.ECONOMY_WINDOW_MS,
      maxRequests: env.ECONOMY_MAX_REQUESTS,
      pollMs: env.ECONOMY_POLL_MS,
      maxWaitMs: env.ECONOMY_MAX_WAIT_MS,
    },
    { logger },
  );
  const analyser = createAnalyser({
    scorer,
    economyScorer: economy?.scorer ?? null,
    cache,
    nearDuplicates,
    nearDuplicatePolicy: {
      reuseThreshold: env.SIMILARITY_REUSE_THRESHOLD,
      flagThreshold: env.SIMILARITY_FLAG_THRESHOLD,
    },
    llmConcurrency: env.LLM_CONCURRENCY,
    metrics,
    logger,
  });
  const processor = analyseResumeProcessor({
    store,
    blobs,
    extractor,
    analyser,
    cache,
    metrics,
    logger,
    economyByDefault: env.ECONOMY_MODE,
    recordOutcome: async (outcome) => {
      await recordThroughput(redis, env.REDIS_PREFIX, outcome).catch((error: unknown) =>
        logger.warn('throughput counters not updated', { error }),
      );
    },
    publish: async (event, options) => {
      // A command Redis rejects around a restart is tried again for a few seconds; after that
      // the job fails and its re-run announces the stored result again (repeats are logged once).
      for (let attempt = 0; ; attempt++) {
        try {
          await publishProgress(redis, env.REDIS_PREFIX, event, options);
          return;
        } catch (error) {
          if (attempt >= 5) {
            logger.warn('progress publish failed', { error, type: event.type });
            throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
        }
      }
    },
  });

  shutdown.add('economy', () => economy?.close());
  const active = new Set<Job>();
  const worker = createWorker({
    queue: 'resume-analysis',
    processors: {
      'analyse-resume': async (payload, job) => {
        active.add(job);
        try {
          return await processor.process(payload, job);
        } finally {
          active.delete(job);
        }
      },
    },
    connection,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    logger,
    worker: {
      lockDuration: env.LOCK_DURATION_MS,
      stalledInterval: env.STALLED_INTERVAL_MS,
      maxStalledCount: env.MAX_STALLED_COUNT,
    },
  });
  worker.on('failed', (job, error) => {
    // BullMQ fails a job that stalled too often without running the processor: record it.
    if (job && /stalled/i.test(error.message)) {
      void processor
        .giveUp(
          job.data as AnalyseResumePayload,
          'Processing was interrupted too many times (the worker stopped); re-upload the file to try again.',
        )
        .catch((cause: unknown) => logger.error('could not record a stalled job', { cause }));
    }
  });
  shutdown.add('worker', async () => {
    const closing = worker.close();
    const graceOver = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), env.SHUTDOWN_GRACE_MS).unref(),
    );
    if ((await Promise.race([closing, graceOver])) !== 'timeout') return;
    // Hand unfinished jobs back so another worker starts them now, not after the lock expires.
    const unfinished = [...active];
    await Promise.allSettled(unfinished.map((job) => job.moveToWait(job.token)));
    logger.warn('shutdown grace passed; handed active jobs back to the queue', {
      jobs: unfinished.length,
    });
  });

  const health = createHealth({ redis: () => connection.ping(), store: () => store.ping() });
  const ops = await startOpsServer({ registry, health, host: env.OPS_HOST, port: env.OPS_PORT });
  shutdown.add('ops', () => ops.close());
  shutdown.add('drain', () => health.setDraining());

  void worker.run();
  logger.info('resume-worker started', {
    concurrency: env.WORKER_CONCURRENCY,
    llmConcurrency: env.LLM_CONCURRENCY,
    scorer: scorer.model,
    opsPort: ops.port,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `resume-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

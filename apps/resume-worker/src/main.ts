import { KeywordScorer } from '@shortlist/analysis';
import { blobConfigFromEnv, openBlobStore } from '@shortlist/blobs';
import { loadEnv } from '@shortlist/config';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
  startOpsServer,
} from '@shortlist/observability';
import { createRedis, createWorker } from '@shortlist/queue';
import { openStore } from '@shortlist/store';
import { ResumeWorkerEnv } from './env';
import { analyseResumeProcessor } from './processors/analyse-resume.processor';

async function main(): Promise<void> {
  const env = loadEnv(ResumeWorkerEnv);
  const logger = createLogger({ component: 'resume-worker', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger, env.SHUTDOWN_GRACE_MS + 5_000);
  shutdown.installSignalHandlers();

  const store = await openStore({
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    dataDir: env.DATA_DIR,
    cursorSecret: env.CURSOR_SECRET,
  });
  shutdown.add('store', () => store.close());
  const blobs = await openBlobStore(blobConfigFromEnv(env));
  const connection = createRedis(env.REDIS_URL, 'worker', logger);
  const publisher = createRedis(env.REDIS_URL, 'worker', logger);
  shutdown.add('redis', async () => {
    await Promise.allSettled([connection.quit(), publisher.quit()]);
  });

  const worker = createWorker({
    queue: 'resume-analysis',
    processors: {
      'analyse-resume': analyseResumeProcessor({
        store,
        blobs,
        scorer: new KeywordScorer(),
        publisher,
        prefix: env.REDIS_PREFIX,
        logger,
      }),
    },
    connection,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    logger,
  });
  shutdown.add('worker', () => worker.close());

  const registry = createRegistry('resume-worker');
  const health = createHealth({ redis: () => connection.ping(), store: () => store.ping() });
  const ops = await startOpsServer({ registry, health, host: env.OPS_HOST, port: env.OPS_PORT });
  shutdown.add('ops', () => ops.close());
  shutdown.add('drain', () => health.setDraining());

  void worker.run();
  logger.info('resume-worker started', { concurrency: env.WORKER_CONCURRENCY, opsPort: ops.port });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `resume-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

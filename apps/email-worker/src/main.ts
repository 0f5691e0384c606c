import { join } from 'node:path';
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
import { EmailWorkerEnv } from './env';
import { OutboxTransport } from './outbox';
import { sendEmailProcessor } from './processors/send-email.processor';

async function main(): Promise<void> {
  const env = loadEnv(EmailWorkerEnv);
  const logger = createLogger({ component: 'email-worker', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger, env.SHUTDOWN_GRACE_MS + 5_000);
  shutdown.installSignalHandlers();

  const store = await openStore({
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    dataDir: env.DATA_DIR,
    cursorSecret: env.CURSOR_SECRET,
  });
  shutdown.add('store', () => store.close());
  const connection = createRedis(env.REDIS_URL, 'worker', logger);
  shutdown.add('redis', () => connection.quit());
  const transport = new OutboxTransport(env.OUTBOX_DIR ?? join(env.DATA_DIR, 'outbox'));

  const worker = createWorker({
    queue: 'email-delivery',
    processors: {
      'send-email': sendEmailProcessor({ store, transport, from: env.MAIL_FROM, logger }),
    },
    connection,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    logger,
  });
  shutdown.add('worker', () => worker.close());

  const registry = createRegistry('email-worker');
  const health = createHealth({ redis: () => connection.ping(), store: () => store.ping() });
  const ops = await startOpsServer({ registry, health, host: env.OPS_HOST, port: env.OPS_PORT });
  shutdown.add('ops', () => ops.close());
  shutdown.add('drain', () => health.setDraining());

  void worker.run();
  logger.info('email-worker started', { concurrency: env.WORKER_CONCURRENCY, opsPort: ops.port });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `email-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

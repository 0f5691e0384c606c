import { join } from 'node:path';
import { loadEnv } from '@shortlist/config';
import {
  OutboxTransport,
  SmtpTransport,
  parseMailbox,
  pendingEmailsKey,
  type MailTransport,
} from '@shortlist/mail';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
  prom,
  startOpsServer,
} from '@shortlist/observability';
import { Producer, createRedis, createWorker } from '@shortlist/queue';
import { openStore, storeConfigFromEnv } from '@shortlist/store';
import { Worker } from 'bullmq';
import { EmailWorkerEnv } from './env';
import { forgetEmailProcessor } from './processors/forget-email.processor';
import { sendEmailProcessor, settleAbandoned } from './processors/send-email.processor';
import { sweepPending } from './sweeper';

async function main(): Promise<void> {
  const env = loadEnv(EmailWorkerEnv);
  const logger = createLogger({ component: 'email-worker', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger, env.SHUTDOWN_GRACE_MS + 5_000);
  shutdown.installSignalHandlers();

  const store = await openStore(storeConfigFromEnv(env));
  shutdown.add('store', () => store.close());
  const connection = createRedis(env.REDIS_URL, 'worker', logger);
  shutdown.add('redis', () => connection.quit());

  const transport: MailTransport = env.SMTP_URL
    ? new SmtpTransport({
        url: env.SMTP_URL,
        maxConnections: env.SMTP_MAX_CONNECTIONS,
        ratePerSecond: env.SMTP_RATE_PER_SECOND,
        tlsRejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
      })
    : new OutboxTransport(env.OUTBOX_DIR ?? join(env.DATA_DIR, 'outbox'));
  shutdown.add('transport', () => transport.close());

  const registry = createRegistry('email-worker');
  const outcomes = new prom.Counter({
    name: 'shortlist_email_outcomes_total',
    help: 'Email send attempts by outcome (sent, retry, failed, unreachable, reconciled, superseded, opted-out, erased)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  let pauseMs = env.SMTP_DOWN_PAUSE_MS;
  let pausedUntil = 0;
  let worker: Worker | null = null;
  const processor = sendEmailProcessor({
    store,
    waitForEarlierRunMs: env.EMAIL_LOCK_MS * 3,
    transport,
    from: parseMailbox(env.MAIL_FROM),
    logger,
    onOutcome: (outcome) => outcomes.inc({ outcome }),
    onAccepted: () => {
      pauseMs = env.SMTP_DOWN_PAUSE_MS;
    },
    onServerUnreachable: async (reply) => {
      // Every job in flight fails at once when the server goes away: pause once per window, and
      // lengthen the next pause only if the server is still unreachable after this one.
      if (Date.now() >= pausedUntil) {
        logger.warn('mail server unreachable; pausing the queue', { pauseMs, reply });
        pausedUntil = Date.now() + pauseMs;
        await worker?.rateLimit(pauseMs);
        pauseMs = Math.min(pauseMs * 2, 30_000);
      }
      return Worker.RateLimitError();
    },
  });

  worker = createWorker({
    queue: 'email-delivery',
    processors: {
      'send-email': processor,
      'forget-email': forgetEmailProcessor({ store, transport, logger }),
    },
    connection,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    logger,
    worker: {
      lockDuration: env.EMAIL_LOCK_MS,
      stalledInterval: env.EMAIL_LOCK_MS,
      // A stalled job is safe to run again (see the processor), so a few crashes must not fail it.
      maxStalledCount: 10,
      ...(env.SMTP_URL && env.SMTP_RATE_PER_SECOND > 0
        ? { limiter: { max: env.SMTP_RATE_PER_SECOND, duration: 1_000 } }
        : {}),
    },
  });
  worker.on('failed', (job, error) => {
    if (job?.name !== 'send-email') return;
    const exhausted =
      error.name === 'UnrecoverableError' ||
      /stalled/i.test(error.message) ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!exhausted) return;
    settleAbandoned(store, job.data, error.message, new Date().toISOString()).catch(
      (settleError: unknown) =>
        logger.error('could not settle an abandoned email', { error: settleError }),
    );
  });
  shutdown.add('worker', () => worker.close());

  const health = createHealth({
    redis: () => connection.ping(),
    store: () => store.ping(),
    mail: () => transport.verify(),
  });
  const ops = await startOpsServer({ registry, health, host: env.OPS_HOST, port: env.OPS_PORT });
  shutdown.add('ops', () => ops.close());
  shutdown.add('drain', () => health.setDraining());

  const producer = new Producer('email-delivery', { connection, prefix: env.REDIS_PREFIX });
  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepPending({
      redis: connection,
      key: pendingEmailsKey(env.REDIS_PREFIX),
      store,
      producer,
      olderThanMs: env.EMAIL_SWEEP_AFTER_MS,
      logger,
    })
      .catch((error: unknown) => logger.error('email sweep failed', { error }))
      .finally(() => {
        sweeping = false;
      });
  }, env.EMAIL_SWEEP_INTERVAL_MS);
  shutdown.add('sweeper', async () => {
    clearInterval(sweeper);
    await producer.queue.close();
  });

  void worker.run();
  logger.info('email-worker started', {
    concurrency: env.WORKER_CONCURRENCY,
    transport: transport.kind,
    opsPort: ops.port,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `email-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

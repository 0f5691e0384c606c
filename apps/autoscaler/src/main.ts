import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { loadEnv } from '@shortlist/config';
import { readLimiterHeadroom } from '@shortlist/llm';
import {
  createHealth,
  createLogger,
  createRegistry,
  createShutdown,
  startOpsServer,
} from '@shortlist/observability';
import { createRedis, readQueueDepth } from '@shortlist/queue';
import { Autoscaler } from './autoscaler';
import { AutoscalerEnv } from './env';
import { ComposeScaler } from './scalers/compose.scaler';
import { LocalProcessScaler } from './scalers/local.scaler';
import type { Scaler } from './scalers/scaler';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const env = loadEnv(AutoscalerEnv);
  const logger = createLogger({ component: 'autoscaler', level: env.LOG_LEVEL });
  const shutdown = createShutdown(logger, 45_000);
  shutdown.installSignalHandlers();

  const redis = createRedis(env.REDIS_URL, 'worker', logger);
  shutdown.add('redis', () => redis.quit());
  const queues = new Map(
    env.AUTOSCALE_TARGETS.map((t) => [
      t.queue,
      new Queue(t.queue, { connection: redis, prefix: env.REDIS_PREFIX }),
    ]),
  );
  shutdown.add('queues', () => Promise.all([...queues.values()].map((q) => q.close())));

  let scaler: Scaler;
  if (env.SCALER === 'compose') {
    scaler = new ComposeScaler({
      projectDir: env.COMPOSE_PROJECT_DIR,
      projectName: env.COMPOSE_PROJECT_NAME,
      file: env.COMPOSE_FILE,
    });
  } else {
    // Workers inherit this environment (Redis, store, blobs, scorer), each on its own ops port.
    const services = Object.fromEntries(
      env.AUTOSCALE_TARGETS.map((t) => [
        t.service,
        {
          command: process.execPath,
          args: ['--import', 'tsx', join(REPO_ROOT, 'apps', t.service, 'src', 'main.ts')],
          cwd: REPO_ROOT,
          env: { OPS_PORT: '0' },
        },
      ]),
    );
    scaler = new LocalProcessScaler({ services, logger });
  }
  shutdown.add('scaler', () => scaler.close());

  const registry = createRegistry('autoscaler');
  const autoscaler = new Autoscaler({
    targets: env.AUTOSCALE_TARGETS,
    scaler,
    readDepth: (queue) => readQueueDepth(queues.get(queue)!),
    readHeadroom: () =>
      readLimiterHeadroom(redis, `${env.REDIS_PREFIX}:llm-limiter:${env.LLM_MODEL}`, {
        rpm: env.LLM_RPM,
        tpm: env.LLM_TPM,
      }),
    policy: {
      upCooldownMs: env.SCALE_UP_COOLDOWN_MS,
      downCooldownMs: env.SCALE_DOWN_COOLDOWN_MS,
      headroomFloor: env.LLM_HEADROOM_FLOOR,
    },
    registry,
    logger,
  });
  shutdown.add('loop', () => autoscaler.stop());

  const health = createHealth({ redis: () => redis.ping() });
  const ops = await startOpsServer({ registry, health, host: env.OPS_HOST, port: env.OPS_PORT });
  shutdown.add('ops', () => ops.close());

  autoscaler.start(env.AUTOSCALE_INTERVAL_MS);
  logger.info('autoscaler started', {
    scaler: scaler.kind,
    targets: env.AUTOSCALE_TARGETS,
    opsPort: ops.port,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `autoscaler failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

import { commonEnv, int, port, storageEnv, z } from '@shortlist/config';

/** Resume-worker configuration, parsed once at start-up. */
export const ResumeWorkerEnv = z.object({
  ...commonEnv,
  ...storageEnv,
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('shortlist-dev-cursor-secret'),
  /** Jobs processed at once by this process. */
  WORKER_CONCURRENCY: int(8, 1, 1_000),
  /** Port of /healthz, /readyz and /metrics; 0 picks a free one. */
  OPS_PORT: port(0),
  OPS_HOST: z.string().default('127.0.0.1'),
  /** How long a shutting-down worker waits for active jobs before returning them to the queue (ms). */
  SHUTDOWN_GRACE_MS: int(20_000, 0),
});
export type ResumeWorkerEnv = z.infer<typeof ResumeWorkerEnv>;

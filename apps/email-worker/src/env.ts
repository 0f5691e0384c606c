import { commonEnv, int, port, storageEnv, z } from '@shortlist/config';

/** Email-worker configuration, parsed once at start-up. */
export const EmailWorkerEnv = z.object({
  ...commonEnv,
  ...storageEnv,
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('shortlist-dev-cursor-secret'),
  /** Folder of .eml files used while no SMTP server is configured; defaults to `<DATA_DIR>/outbox`. */
  OUTBOX_DIR: z.string().optional(),
  MAIL_FROM: z.string().default('Shortlist <no-reply@shortlist.local>'),
  WORKER_CONCURRENCY: int(4, 1, 200),
  OPS_PORT: port(0),
  OPS_HOST: z.string().default('127.0.0.1'),
  SHUTDOWN_GRACE_MS: int(20_000, 0),
});
export type EmailWorkerEnv = z.infer<typeof EmailWorkerEnv>;

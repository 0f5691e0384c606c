import { bool, commonEnv, int, port, storageEnv, url, z } from '@shortlist/config';

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
  /** When set, mail goes to this SMTP server instead of the outbox: `smtp://user:pass@host:587`. */
  SMTP_URL: url(undefined, ['smtp', 'smtps']).optional(),
  /** Pooled SMTP connections per worker process. */
  SMTP_MAX_CONNECTIONS: int(5, 1, 100),
  /** Messages per second, for all email-worker processes together (0 = no limit). */
  SMTP_RATE_PER_SECOND: int(20, 0, 100_000),
  SMTP_TLS_REJECT_UNAUTHORIZED: bool(true),
  MAIL_FROM: z
    .string()
    .regex(
      /^[^\r\n<>]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/,
      'must be "Name <address@domain>" or a bare address',
    )
    .default('Shortlist <no-reply@shortlist.local>'),
  WORKER_CONCURRENCY: int(20, 1, 500),
  /** How long a job's lock lasts; a crashed worker's jobs are picked up again after it expires. */
  EMAIL_LOCK_MS: int(30_000, 1_000),
  /** First pause of the whole queue when the SMTP server cannot be reached (doubles up to 30 s). */
  SMTP_DOWN_PAUSE_MS: int(1_000, 50, 60_000),
  /** How often to look for messages a gateway stored but did not queue (it died in between). */
  EMAIL_SWEEP_INTERVAL_MS: int(30_000, 100),
  /** How old such a record must be before it is queued by the sweeper. */
  EMAIL_SWEEP_AFTER_MS: int(60_000, 0),
  OPS_PORT: port(0),
  OPS_HOST: z.string().default('127.0.0.1'),
  SHUTDOWN_GRACE_MS: int(20_000, 0),
});
export type EmailWorkerEnv = z.infer<typeof EmailWorkerEnv>;

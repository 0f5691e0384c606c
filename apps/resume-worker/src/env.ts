import { scoringEnv } from '@shortlist/analysis';
import { bool, commonEnv, int, port, storageEnv, z } from '@shortlist/config';
import { extractEnv } from '@shortlist/extract';

const ratio = (defaultValue: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(defaultValue);

/** Resume-worker configuration, parsed once at start-up. */
export const ResumeWorkerEnv = z.object({
  ...commonEnv,
  ...storageEnv,
  ...scoringEnv,
  ...extractEnv,
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('shortlist-dev-cursor-secret'),
  /** Jobs processed at once by this process (downloads and extraction overlap scorer calls). */
  WORKER_CONCURRENCY: int(32, 1, 1_000),
  /** Scorer (LLM) calls in flight at once in this process; the shared limiter caps all processes. */
  LLM_CONCURRENCY: int(32, 1, 1_000),
  /** Port of /healthz, /readyz and /metrics; 0 picks a free one. */
  OPS_PORT: port(0),
  OPS_HOST: z.string().default('127.0.0.1'),
  /** How long a shutting-down worker lets active jobs finish before handing them back (ms). */
  SHUTDOWN_GRACE_MS: int(20_000, 0),
  /** A job whose worker stops renewing its lock for this long is taken over by another (ms). */
  LOCK_DURATION_MS: int(30_000, 1_000),
  /** How often each worker looks for stalled jobs (ms). */
  STALLED_INTERVAL_MS: int(30_000, 500),
  /** Times a job may stall (its worker died) before it is recorded as failed. */
  MAX_STALLED_COUNT: int(3, 0, 100),
  /** Lifetime of cached analyses and derived criteria (seconds). */
  CACHE_TTL_SECONDS: int(30 * 24 * 3600, 1),
  /** Byte budget of cached analyses; least recently used entries are evicted beyond it. */
  CACHE_MAX_BYTES: int(256 * 1024 * 1024, 1024),
  /** Score every resume through the OpenAI Batch API (half price, slower); a job may also ask for it. */
  ECONOMY_MODE: bool(false),
  /** Economy calls are collected this long into one batch file (ms). */
  ECONOMY_WINDOW_MS: int(5_000, 10),
  /** A batch file is sent at once when this many calls wait (the Batch API takes up to 50,000). */
  ECONOMY_MAX_REQUESTS: int(5_000, 1, 50_000),
  /** How often a running batch is looked at (ms). */
  ECONOMY_POLL_MS: int(30_000, 50),
  /** Longest wait for a batch's results before the call fails and its job is retried (ms). */
  ECONOMY_MAX_WAIT_MS: int(25 * 3600 * 1000, 1_000),
  /** Near-duplicate detection (flags near-duplicates; reuses only the same candidate's analysis). */
  SIMILARITY_CACHE: bool(true),
  /** Similarity at or above which the same candidate's earlier analysis is reused. */
  SIMILARITY_REUSE_THRESHOLD: ratio(0.95),
  /** Similarity at or above which a resume is flagged as a near-duplicate. */
  SIMILARITY_FLAG_THRESHOLD: ratio(0.8),
});
export type ResumeWorkerEnv = z.infer<typeof ResumeWorkerEnv>;

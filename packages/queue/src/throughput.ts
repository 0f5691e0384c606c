import type { Redis } from 'ioredis';

/** One finished analysis, as counted in the per-minute series. */
export interface AnalysisOutcome {
  userId: string;
  jobId: string;
  status: 'done' | 'failed';
  /** Answered from the analysis cache (no scorer call). */
  cached: boolean;
  /** Scorer spend of this analysis (0 when cached). */
  costUsd?: number;
  at: Date;
}

/** Resumes finished in one minute (UTC), for a tenant or one of its jobs. */
export interface ThroughputPoint {
  /** Start of the minute, ISO 8601. */
  minute: string;
  done: number;
  failed: number;
  /** Of `done`, how many were answered from the cache. */
  cached: number;
  costUsd: number;
}

/** How long the counters of a minute are kept. */
export const THROUGHPUT_TTL_SECONDS = 8 * 24 * 3600;
/** The longest series one read returns (one day). */
export const MAX_THROUGHPUT_MINUTES = 24 * 60;

const minuteOf = (at: Date | number) => Math.floor(new Date(at).getTime() / 60_000);

/** The hash holding one minute's counters, for a tenant (`jobId` null) or one of its jobs. */
export function throughputKey(
  prefix: string,
  userId: string,
  jobId: string | null,
  minute: number,
): string {
  return `${prefix}:throughput:${userId}:${jobId ?? '*'}:${minute}`;
}

/**
 * Counts a finished analysis in its minute, for the tenant and for the job: a few Redis hash
 * increments, so stats read a series of minutes without touching resume records.
 */
export async function recordThroughput(
  redis: Redis,
  prefix: string,
  outcome: AnalysisOutcome,
): Promise<void> {
  const minute = minuteOf(outcome.at);
  const multi = redis.multi();
  for (const jobId of [null, outcome.jobId]) {
    const key = throughputKey(prefix, outcome.userId, jobId, minute);
    multi.hincrby(key, outcome.status, 1);
    if (outcome.status === 'done' && outcome.cached) multi.hincrby(key, 'cached', 1);
    if (outcome.costUsd) multi.hincrbyfloat(key, 'costUsd', outcome.costUsd);
    multi.expire(key, THROUGHPUT_TTL_SECONDS);
  }
  await multi.exec();
}

/**
 * The last `minutes` minutes up to `now` (oldest first, empty minutes as zeros), for the tenant
 * or, with `jobId`, one job.
 */
export async function readThroughput(
  redis: Redis,
  prefix: string,
  userId: string,
  jobId: string | null,
  options: { minutes: number; now?: Date },
): Promise<ThroughputPoint[]> {
  const count = Math.max(1, Math.min(MAX_THROUGHPUT_MINUTES, Math.floor(options.minutes)));
  const last = minuteOf(options.now ?? Date.now());
  const minutes = Array.from({ length: count }, (_, i) => last - count + 1 + i);
  const pipeline = redis.pipeline();
  for (const minute of minutes) pipeline.hgetall(throughputKey(prefix, userId, jobId, minute));
  const replies = (await pipeline.exec()) ?? [];
  return minutes.map((minute, i) => {
    const [error, hash] = replies[i] ?? [null, {}];
    if (error) throw error;
    const fields = (hash ?? {}) as Record<string, string>;
    return {
      minute: new Date(minute * 60_000).toISOString(),
      done: Number(fields.done ?? 0),
      failed: Number(fields.failed ?? 0),
      cached: Number(fields.cached ?? 0),
      costUsd: Math.round(Number(fields.costUsd ?? 0) * 1e6) / 1e6,
    };
  });
}

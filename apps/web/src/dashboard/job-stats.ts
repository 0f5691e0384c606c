import type { ShortlistApi } from '../api/api';
import type { ApiStats, JobStats, Resume } from '../api/types';

const MAX_ROWS = 10_000;

/** Aggregates resumes into the dashboard's numbers (used when the gateway has no stats endpoint). */
export function statsFromResumes(resumes: Resume[]): JobStats {
  const byStatus: Record<string, number> = {
    queued: 0,
    processing: 0,
    done: 0,
    failed: 0,
    duplicate: 0,
  };
  const byTier: Record<string, number> = { shortlist: 0, maybe: 0, reject: 0 };
  const scoreHistogram = Array.from({ length: 10 }, () => 0);
  let costUsd = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let cachedCount = 0;
  const perMinute = new Map<number, number>();
  for (const r of resumes) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.tier) byTier[r.tier] = (byTier[r.tier] ?? 0) + 1;
    if (r.score !== null) scoreHistogram[Math.min(9, Math.floor(r.score / 10))]! += 1;
    if (r.analysis) {
      costUsd += r.analysis.costUsd;
      tokensIn += r.analysis.tokensIn;
      tokensOut += r.analysis.tokensOut;
      if (r.analysis.cached) cachedCount++;
    }
    if (r.status === 'done') {
      const minute = Math.floor(new Date(r.updatedAt).getTime() / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
  }
  const minutes = [...perMinute.keys()].sort((a, b) => a - b);
  const series: { at: string; count: number }[] = [];
  if (minutes.length > 0)
    for (let m = minutes[0]!; m <= minutes[minutes.length - 1]! && series.length < 24 * 60; m++)
      series.push({ at: new Date(m * 60_000).toISOString(), count: perMinute.get(m) ?? 0 });
  return {
    total: resumes.length,
    byStatus,
    byTier,
    scoreHistogram,
    costUsd,
    tokensIn,
    tokensOut,
    cachedCount,
    series,
  };
}

/** The job's stats from the API when it serves them, else computed from its resumes. */
export async function loadJobStats(
  api: ShortlistApi,
  jobId: string,
  hasEndpoint: boolean,
  signal: AbortSignal,
): Promise<JobStats> {
  if (hasEndpoint) return fromApi(await api.getJobStats(jobId, signal));
  const all: Resume[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.listResumes(
      jobId,
      { sort: 'uploadedAt', limit: 200, ...(cursor ? { cursor } : {}) },
      signal,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < MAX_ROWS);
  return statsFromResumes(all);
}

/**
 * The dashboard's numbers from the stats endpoint: `processing` is the rate over batches,
 * `throughput` the per-minute series (shown from its first busy minute; absent when idle).
 */
export function fromApi(body: ApiStats): JobStats {
  const { processing, throughput, ...rest } = body;
  const stats: JobStats = { ...rest };
  if (processing && typeof processing.resumesPerMinute === 'number') stats.rate = processing;
  if (throughput) {
    stats.recent = {
      minutes: throughput.minutes,
      done: throughput.done,
      cached: throughput.points.reduce((n, p) => n + p.cached, 0),
      cacheHitRate: throughput.cacheHitRate,
    };
    const first = throughput.points.findIndex((p) => p.done + p.failed > 0);
    if (first >= 0)
      stats.series = throughput.points
        .slice(Math.max(0, Math.min(first - 1, throughput.points.length - 2)))
        .map((p) => ({ at: p.minute, count: p.done + p.failed, cached: p.cached }));
  }
  return stats;
}

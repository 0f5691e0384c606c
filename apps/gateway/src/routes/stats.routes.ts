import { Router } from 'express';
import { AppError, type Batch } from '@shortlist/contracts';
import { MAX_THROUGHPUT_MINUTES, readThroughput } from '@shortlist/queue';
import type { ResumeFilter } from '@shortlist/store';
import { z } from 'zod';
import { principal } from '../auth';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { parse } from '../http/validate';

/** `?minutes=` of the stats endpoints: how long the per-minute series reaches back. */
export const StatsQuery = z.object({
  minutes: z.coerce.number().int().min(1).max(MAX_THROUGHPUT_MINUTES).default(60),
});

const MAX_BATCHES = 1_000;

/** `/v1/stats` (the tenant) and `/v1/jobs/:jobId/stats`, from store aggregates and batch counters. */
export function statsRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const at = () => (deps.now ?? (() => new Date()))();

  async function throughput(userId: string, jobId: string | undefined) {
    const batches: Batch[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.store.batches.list(userId, { jobId }, { cursor, limit: 200 });
      batches.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && batches.length < MAX_BATCHES);
    let analysed = 0;
    let seconds = 0;
    for (const b of batches) {
      analysed += b.counts.done + b.counts.failed;
      const end = b.finishedAt ? Date.parse(b.finishedAt) : at().getTime();
      seconds += Math.max(0, (end - Date.parse(b.createdAt)) / 1000);
    }
    return {
      batches: batches.length,
      analysed,
      busySeconds: Math.round(seconds),
      resumesPerMinute: seconds > 0 ? Math.round((analysed / seconds) * 600) / 10 : 0,
    };
  }

  /** Resumes finished per minute (from Redis counters the workers keep), with the cache hit rate. */
  async function perMinute(userId: string, jobId: string | null, minutes: number) {
    const points = await readThroughput(deps.redis, deps.redisPrefix, userId, jobId, {
      minutes,
      now: at(),
    });
    const done = points.reduce((n, p) => n + p.done, 0);
    const cached = points.reduce((n, p) => n + p.cached, 0);
    return {
      minutes,
      points,
      done,
      failed: points.reduce((n, p) => n + p.failed, 0),
      cacheHitRate: done > 0 ? Math.round((cached / done) * 1000) / 1000 : null,
    };
  }

  async function stats(userId: string, filter: ResumeFilter, query: unknown) {
    const { minutes } = parse(StatsQuery, query, 'query');
    const [resumes, rate, series] = await Promise.all([
      deps.store.resumes.stats(userId, filter),
      throughput(userId, filter.jobId),
      // Counts stay readable when Redis is not: the series is then left out.
      perMinute(userId, filter.jobId ?? null, minutes).catch(() => null),
    ]);
    return { ...resumes, processing: rate, throughput: series };
  }

  router.get('/stats', async (req, res) => {
    const { userId } = principal(res);
    res.json(await stats(userId, {}, req.query));
  });

  router.get('/jobs/:jobId/stats', async (req, res) => {
    const { userId } = principal(res);
    if (!(await deps.store.jobs.get(userId, req.params.jobId)))
      throw new AppError('not_found', 'No such job.');
    res.json(await stats(userId, { jobId: req.params.jobId }, req.query));
  });

  return router;
}

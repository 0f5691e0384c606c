import { Router } from 'express';
import { AppError, type Batch } from '@shortlist/contracts';
import type { ResumeFilter } from '@shortlist/store';
import { principal } from '../auth';
import type { GatewayDeps } from '../deps';

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

  async function stats(userId: string, filter: ResumeFilter) {
    const [resumes, rate] = await Promise.all([
      deps.store.resumes.stats(userId, filter),
      throughput(userId, filter.jobId),
    ]);
    return { ...resumes, processing: rate };
  }

  router.get('/stats', async (_req, res) => {
    const { userId } = principal(res);
    res.json(await stats(userId, {}));
  });

  router.get('/jobs/:jobId/stats', async (req, res) => {
    const { userId } = principal(res);
    if (!(await deps.store.jobs.get(userId, req.params.jobId)))
      throw new AppError('not_found', 'No such job.');
    res.json(await stats(userId, { jobId: req.params.jobId }));
  });

  return router;
}

import { Router } from 'express';
import { jobKey } from '@shortlist/cache';
import { z } from '@shortlist/config';
import { AppError, type Job } from '@shortlist/contracts';
import { principal } from '../auth';
import type { GatewayDeps } from '../deps';
import { parse } from '../http/validate';

const InvalidateBody = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('job'), jobId: z.string().min(1).max(64) }),
  z.object({ scope: z.literal('promptVersion'), promptVersion: z.string().min(1).max(100) }),
  z.object({ scope: z.literal('all') }),
]);

const unavailable = (cause: unknown) =>
  new AppError('unavailable', 'The cache is unavailable; try again shortly.', { cause });

/**
 * Puts a job's scoring inputs at its current version into the cache, so workers scoring its
 * resumes read them from Redis instead of the store. Best effort: a cache outage never fails
 * the request that created or edited the job.
 */
export async function warmJob(deps: GatewayDeps, job: Job): Promise<void> {
  await deps.cache?.cache
    .set(jobKey({ jobId: job.id, jobVersion: job.version }), job)
    .catch((error: unknown) => deps.logger.warn('job cache warming failed', { error }));
}

/**
 * `GET /v1/cache/stats` (admins): hits, misses, shared computations, near-duplicate reuses,
 * evictions, bytes and entries per namespace. `POST /v1/cache/invalidate` with
 * `{"scope":"job","jobId"}` (the job's owner or an admin), `{"scope":"promptVersion",...}` or
 * `{"scope":"all"}` (admins): deletes the entries and answers how many went.
 */
export function cacheRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const requireCache = () => {
    if (!deps.cache) throw new AppError('unavailable', 'No cache is configured on this gateway.');
    return deps.cache;
  };
  const requireAdmin = (role: string) => {
    if (role !== 'admin')
      throw new AppError('forbidden', 'Only admins can read or clear the whole cache.');
  };

  router.get('/stats', async (_req, res) => {
    requireAdmin(principal(res).role);
    const { cache } = requireCache();
    const namespaces = await cache.stats().catch((error: unknown) => {
      throw unavailable(error);
    });
    res.json({ namespaces });
  });

  router.post('/invalidate', async (req, res) => {
    const { userId, role } = principal(res);
    const body = parse(InvalidateBody, req.body ?? {});
    const { cache, nearDuplicates, criteriaReuse } = requireCache();
    let deleted: number;
    try {
      if (body.scope === 'job') {
        const job = await deps.store.jobs.get(userId, body.jobId);
        if (!job) throw new AppError('not_found', 'No such job.', { field: 'jobId' });
        deleted = await cache.invalidate({ kind: 'job', jobId: job.id });
        await nearDuplicates.invalidate(job.id);
      } else {
        requireAdmin(role);
        deleted =
          body.scope === 'all'
            ? await cache.invalidate({ kind: 'all' })
            : await cache.invalidate({ kind: 'promptVersion', promptVersion: body.promptVersion });
        if (body.scope === 'all') {
          await nearDuplicates.invalidate();
          await criteriaReuse?.invalidate();
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unavailable(error);
    }
    res.json({ scope: body.scope, deleted });
  });

  return router;
}

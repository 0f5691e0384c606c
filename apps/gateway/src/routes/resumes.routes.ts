import { Router } from 'express';
import { AppError, ListResumesQuery } from '@shortlist/contracts';
import { principal } from '../auth';
import type { GatewayDeps } from '../deps';
import { parse } from '../http/validate';

/** `GET /v1/jobs/:jobId/resumes`: the ranked shortlist (best first by default). */
export function jobResumesRoutes(deps: GatewayDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    const { userId } = principal(res);
    const jobId = (req.params as { jobId: string }).jobId;
    if (!(await deps.store.jobs.get(userId, jobId)))
      throw new AppError('not_found', 'No such job.');
    const query = parse(ListResumesQuery, req.query, 'query');
    const page = await deps.store.resumes.list(
      userId,
      {
        jobId,
        tier: query.tier,
        status: query.status,
        minScore: query.minScore,
        batchId: query.batchId,
      },
      query.sort,
      { cursor: query.cursor, limit: query.limit },
    );
    res.json(page);
  });
  return router;
}

/** `/v1/resumes/:id`. */
export function resumesRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/:resumeId', async (req, res) => {
    const { userId } = principal(res);
    const resume = await deps.store.resumes.get(userId, req.params.resumeId);
    if (!resume) throw new AppError('not_found', 'No such resume.');
    res.json(resume);
  });
  return router;
}

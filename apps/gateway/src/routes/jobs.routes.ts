import { Router } from 'express';
import { deriveCriteria } from '@shortlist/analysis';
import {
  AppError,
  CreateJobBody,
  DEFAULT_THRESHOLDS,
  PageQuery,
  UpdateJobBody,
  newId,
  type Job,
} from '@shortlist/contracts';
import type { JobPatch } from '@shortlist/store';
import { principal } from '../auth';
import type { GatewayDeps } from '../deps';
import { parse } from '../http/validate';
import { warmJob } from './cache.routes';

export function jobsRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  router.post('/', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(CreateJobBody, req.body ?? {});
    const at = now();
    const criteria =
      body.criteria && body.criteria.length > 0
        ? body.criteria
        : deriveCriteria(body.description, body.title);
    const job: Job = {
      id: newId('job'),
      userId,
      title: body.title,
      description: body.description,
      criteria,
      criteriaDerived: !(body.criteria && body.criteria.length > 0),
      thresholds: body.thresholds ?? DEFAULT_THRESHOLDS,
      blind: body.blind ?? false,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await deps.store.jobs.create(job);
    await warmJob(deps, job);
    res.status(201).location(`/v1/jobs/${job.id}`).json(job);
  });

  router.get('/', async (req, res) => {
    const { userId } = principal(res);
    const query = parse(PageQuery, req.query, 'query');
    res.json(await deps.store.jobs.list(userId, query));
  });

  router.get('/:jobId', async (req, res) => {
    const { userId } = principal(res);
    const job = await deps.store.jobs.get(userId, req.params.jobId);
    if (!job) throw new AppError('not_found', 'No such job.');
    res.json(job);
  });

  router.patch('/:jobId', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(UpdateJobBody, req.body ?? {});
    const patch: JobPatch = { ...body };
    if (body.criteria !== undefined) patch.criteriaDerived = false;
    const scoringChanged = ['description', 'criteria', 'thresholds', 'blind'].some(
      (k) => (body as Record<string, unknown>)[k] !== undefined,
    );
    const job = await deps.store.jobs.update(
      userId,
      req.params.jobId,
      patch,
      scoringChanged,
      now(),
    );
    if (!job) throw new AppError('not_found', 'No such job.');
    await warmJob(deps, job);
    res.json(job);
  });

  router.delete('/:jobId', async (req, res) => {
    const { userId } = principal(res);
    const deleted = await deps.store.jobs.delete(userId, req.params.jobId);
    if (!deleted) throw new AppError('not_found', 'No such job.');
    await Promise.all(deleted.blobKeys.map((key) => deps.blobs.delete(key).catch(() => false)));
    res.status(204).end();
  });

  return router;
}

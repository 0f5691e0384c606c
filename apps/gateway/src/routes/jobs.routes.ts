import { Router } from 'express';
import {
  AppError,
  CreateJobBody,
  DEFAULT_THRESHOLDS,
  PageQuery,
  UpdateJobBody,
  analysisJobId,
  newId,
  type Job,
} from '@shortlist/contracts';
import { once } from 'node:events';
import { copiesOf, purgeJob, type EmailCopy, type JobPatch } from '@shortlist/store';
import { CSV_HEADER, csvCells, csvRow } from '../http/csv';
import { ResultsQuery, resumeFilter } from './resumes.routes';
import { recordAudit } from '../audit';
import { principal } from '../auth';
import { forgetEmailCopies, requireEmailQueue } from '../email-copies';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { parse } from '../http/validate';
import { warmJob } from './cache.routes';
import { criteriaFor } from '../job-criteria';

export function jobsRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  router.post('/', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(CreateJobBody, req.body ?? {});
    const at = now();
    const id = newId('job');
    const written = body.criteria && body.criteria.length > 0 ? body.criteria : null;
    const derived = written
      ? null
      : await criteriaFor(deps, userId, { id, description: body.description, title: body.title });
    const criteria = written ?? derived!.criteria;
    const job: Job = {
      id,
      userId,
      title: body.title,
      description: body.description,
      criteria,
      criteriaDerived: !(body.criteria && body.criteria.length > 0),
      ...(derived?.reusedFrom ? { criteriaReusedFrom: derived.reusedFrom } : {}),
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
    if (body.criteria !== undefined) {
      patch.criteriaDerived = false;
      patch.criteriaReusedFrom = null;
    }
    const scoringChanged = ['description', 'criteria', 'thresholds', 'blind'].some(
      (k) => (body as Record<string, unknown>)[k] !== undefined,
    );
    const before = await deps.store.jobs.get(userId, req.params.jobId);
    if (!before) throw new AppError('not_found', 'No such job.');
    // Re-scoring needs the queue: refuse before changing anything rather than half-apply.
    if (scoringChanged && deps.redis.status !== 'ready')
      throw new AppError('unavailable', 'The job queue is unavailable; try again shortly.');
    // Derived criteria follow a new description; criteria the recruiter wrote are kept.
    if (
      body.description !== undefined &&
      body.criteria === undefined &&
      before.criteriaDerived &&
      body.description !== before.description
    ) {
      const derived = await criteriaFor(deps, userId, {
        id: before.id,
        description: body.description,
        title: body.title ?? before.title,
      });
      patch.criteria = derived.criteria;
      patch.criteriaReusedFrom = derived.reusedFrom;
    }
    const job = await deps.store.jobs.update(
      userId,
      req.params.jobId,
      patch,
      scoringChanged,
      now(),
    );
    if (!job) throw new AppError('not_found', 'No such job.');
    await warmJob(deps, job);
    const requeued = scoringChanged
      ? await enqueueRescoring(deps, job, String(res.locals.requestId))
      : 0;
    res.setHeader('X-Rescoring-Queued', String(requeued));
    res.json(job);
  });

  router.delete('/:jobId', async (req, res) => {
    const caller = principal(res);
    const { userId } = caller;
    const jobId = req.params.jobId;
    if (!(await deps.store.jobs.get(userId, jobId)))
      throw new AppError('not_found', 'No such job.');
    const hasEmails =
      (await deps.store.emails.list(userId, { jobId }, { limit: 1 })).items.length > 0;
    if (hasEmails) requireEmailQueue(deps.emailQueue);
    const { emails, copies } = await settleEmails(deps, userId, jobId, now());
    const removed = await purgeJob(deps.store, deps.blobs, userId, jobId);
    if (!removed) throw new AppError('not_found', 'No such job.');
    await forgetEmailCopies(deps.emailQueue, copies).catch((error: unknown) =>
      res.locals.logger?.error('could not queue the deletion of deleted email copies', {
        error,
        emailIds: copies.map((c) => c.emailId),
      }),
    );
    if (removed.orphanedBlobKeys.length > 0)
      res.locals.logger?.error('deleted job left files behind', {
        orphanedBlobKeys: removed.orphanedBlobKeys,
      });
    await deps.cacheEraser?.eraseJob(jobId);
    await recordAudit(deps.store, {
      userId,
      action: 'job.deleted',
      principal: caller,
      targetId: jobId,
      counts: {
        resumes: removed.resumesDeleted,
        emails,
        blobs: removed.blobsDeleted,
        orphanedBlobs: removed.orphanedBlobKeys.length,
      },
      at: (deps.now ?? (() => new Date()))().toISOString(),
    });
    res.status(204).end();
  });

  router.get('/:jobId/resumes.csv', async (req, res) => {
    const { userId } = principal(res);
    const job = await deps.store.jobs.get(userId, req.params.jobId);
    if (!job) throw new AppError('not_found', 'No such job.');
    const query = parse(ResultsQuery, req.query, 'query');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`shortlist-${job.id}.csv`);
    res.write(`\uFEFF${csvRow(CSV_HEADER)}`);
    let cursor: string | undefined;
    let rank = 0;
    do {
      const page = await deps.store.resumes.list(userId, resumeFilter(job.id, query), query.sort, {
        cursor,
        limit: 200,
      });
      const chunk = page.items.map((r) => csvRow(csvCells(++rank, r))).join('');
      if (chunk && !res.write(chunk)) await once(res, 'drain');
      cursor = page.nextCursor ?? undefined;
    } while (cursor && !res.destroyed);
    res.end();
  });

  return router;
}

/**
 * Queues re-scoring of the job's analysed resumes at its new version (one BullMQ job per resume
 * and version, so a repeated edit adds nothing twice). Results stay readable until replaced.
 */
async function enqueueRescoring(deps: GatewayDeps, job: Job, requestId: string): Promise<number> {
  let queued = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.resumes.list(
      job.userId,
      { jobId: job.id, status: 'done' },
      'uploadedAt',
      { cursor, limit: 200 },
    );
    await deps.analysisQueue.enqueueBulk(
      page.items.map((resume) => ({
        name: 'analyse-resume' as const,
        payload: {
          userId: job.userId,
          resumeId: resume.id,
          jobId: job.id,
          batchId: resume.batchId,
          jobVersion: job.version,
          requestId,
        },
        options: { jobId: analysisJobId(resume.id, job.version) },
      })),
    );
    queued += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return queued;
}

/**
 * Before a job's emails are deleted: counts them (for the audit record), cancels the queued ones
 * (so none is claimed and sent while the job goes) and collects the copies the mail transport may
 * hold of the others.
 */
async function settleEmails(
  deps: GatewayDeps,
  userId: string,
  jobId: string,
  at: string,
): Promise<{ emails: number; copies: EmailCopy[] }> {
  let emails = 0;
  const copies: EmailCopy[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.emails.list(userId, { jobId }, { cursor, limit: 200 });
    for (const email of page.items) {
      emails += 1;
      const current =
        email.status === 'queued'
          ? ((await deps.store.emails.transition(
              userId,
              email.id,
              ['queued'],
              { status: 'cancelled' },
              at,
            )) ?? (await deps.store.emails.get(userId, email.id)))
          : email;
      copies.push(...copiesOf([current]));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { emails, copies };
}

import { Router } from 'express';
import { buffer } from 'node:stream/consumers';
import { BlobNotFoundError } from '@shortlist/blobs';
import { AppError, ListResumesQuery, analysisJobId, resumeTextKey } from '@shortlist/contracts';
import { copiesOf, eraseEmail, purgeResumes, type EmailCopy } from '@shortlist/store';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { principal } from '../auth';
import { forgetEmailCopies, requireEmailQueue } from '../email-copies';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { pageJsonText, sendJsonText } from '../http/json-text';
import { parse } from '../http/validate';

/** The list query of the results endpoints: the contract's filters plus `hasWarnings`. */
export const ResultsQuery = ListResumesQuery.extend({
  hasWarnings: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export function resumeFilter(jobId: string, query: z.infer<typeof ResultsQuery>) {
  return {
    jobId,
    tier: query.tier,
    status: query.status,
    minScore: query.minScore,
    batchId: query.batchId,
    hasWarnings: query.hasWarnings,
  };
}

/** `GET /v1/jobs/:jobId/resumes`: the ranked shortlist (best first by default). */
export function jobResumesRoutes(deps: GatewayDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    const { userId } = principal(res);
    const jobId = (req.params as { jobId: string }).jobId;
    if (!(await deps.store.jobs.get(userId, jobId)))
      throw new AppError('not_found', 'No such job.');
    const query = parse(ResultsQuery, req.query, 'query');
    const page = await deps.store.resumes.listJson(userId, resumeFilter(jobId, query), query.sort, {
      cursor: query.cursor,
      limit: query.limit,
    });
    sendJsonText(res, pageJsonText(page));
  });
  return router;
}

/** `POST /v1/resumes/:id/reanalyze` body (optional). */
export const ReanalyzeBody = z
  .object({
    /** Call the scorer again even when the cache holds an analysis of the same text and job. */
    force: z.boolean().default(false),
  })
  .strict();

/** `/v1/resumes/:id`: read, download the original, erase, re-analyse. */
export function resumesRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  const load = async (userId: string, resumeId: string) => {
    const resume = await deps.store.resumes.get(userId, resumeId);
    if (!resume) throw new AppError('not_found', 'No such resume.');
    return resume;
  };

  router.get('/:resumeId', async (req, res) => {
    const { userId } = principal(res);
    const text = await deps.store.resumes.getJson(userId, req.params.resumeId);
    if (text === null) throw new AppError('not_found', 'No such resume.');
    sendJsonText(res, text);
  });

  router.get('/:resumeId/file', async (req, res) => {
    const { userId } = principal(res);
    const resume = await load(userId, req.params.resumeId);
    const etag = `"${resume.sha256}"`;
    res.setHeader('ETag', etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    let body;
    try {
      body = await deps.blobs.get(resume.blobKey);
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new AppError('not_found', 'The original file is no longer stored.');
      throw error;
    }
    res.setHeader('Content-Type', resume.mime);
    res.setHeader('Content-Length', String(resume.size));
    res.attachment(resume.fileName);
    // Never let a browser render an uploaded file as a page of ours.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    body.on('error', (error) => {
      res.locals.logger?.error('streaming a resume failed', { error });
      res.destroy(error);
    });
    body.pipe(res);
  });

  router.get('/:resumeId/text', async (req, res) => {
    const { userId } = principal(res);
    const resume = await load(userId, req.params.resumeId);
    // An analysed plain-text upload whose text is the file itself has no separate copy.
    const fileIsText = resume.analysis !== null && /^text\/plain\b/.test(resume.mime);
    const read = async (key: string) => buffer(await deps.blobs.get(key));
    let text: Buffer;
    try {
      text = await read(resumeTextKey(resume.blobKey)).catch((error: unknown) => {
        if (error instanceof BlobNotFoundError && fileIsText) return read(resume.blobKey);
        throw error;
      });
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new AppError(
          'not_found',
          resume.status === 'failed' || resume.status === 'duplicate'
            ? `This resume has no extracted text (it is ${resume.status}).`
            : 'The text of this resume is not available yet: it is extracted when the resume is analysed.',
        );
      throw error;
    }
    // res.send adds an ETag of the body, so If-None-Match answers 304.
    res.type('text/plain; charset=utf-8').send(text);
  });

  router.delete('/:resumeId', async (req, res) => {
    const caller = principal(res);
    const { userId } = caller;
    const resume = await load(userId, req.params.resumeId);
    const hasEmails =
      (await deps.store.emails.list(userId, { resumeId: resume.id }, { limit: 1 })).items.length >
      0;
    if (hasEmails) requireEmailQueue(deps.emailQueue);
    const { deleted, blobsDeleted, orphanedBlobKeys } = await purgeResumes(
      deps.store,
      deps.blobs,
      userId,
      [resume.id],
    );
    if (deleted.length === 0) throw new AppError('not_found', 'No such resume.');
    if (orphanedBlobKeys.length > 0)
      res.locals.logger?.error('erased resume left its file behind', { orphanedBlobKeys });
    await deps.cacheEraser?.eraseResume(resume);
    const emailsErased = await eraseEmailBodies(deps, userId, resume.id, now(), (copies) =>
      forgetEmailCopies(deps.emailQueue, copies).catch((error: unknown) =>
        res.locals.logger?.error('could not queue the deletion of erased email copies', {
          error,
          emailIds: copies.map((c) => c.emailId),
        }),
      ),
    );
    await deps.analysisQueue.queue
      .remove(analysisJobId(resume.id, resume.jobVersion))
      .catch(() => undefined);
    const audit = await recordAudit(deps.store, {
      userId,
      action: 'resume.erased',
      principal: caller,
      subjectIds: deleted,
      counts: {
        resumes: deleted.length,
        emails: emailsErased,
        blobs: blobsDeleted,
        orphanedBlobs: orphanedBlobKeys.length,
      },
      at: now(),
    });
    res.locals.logger?.info('resume erased', {
      resumeId: resume.id,
      emailsErased,
      auditId: audit.id,
    });
    res.status(204).end();
  });

  router.post('/:resumeId/reanalyze', async (req, res) => {
    const { userId } = principal(res);
    const { force } = parse(ReanalyzeBody, req.body ?? {});
    const resume = await load(userId, req.params.resumeId);
    if (resume.status === 'duplicate') {
      throw new AppError(
        'conflict',
        `This resume duplicates ${resume.duplicateOf}; re-analyse that one instead.`,
        { field: 'resumeId', extra: { duplicateOf: resume.duplicateOf } },
      );
    }
    if (resume.status === 'queued' || resume.status === 'processing') {
      throw new AppError('conflict', `The resume is already ${resume.status}.`, {
        field: 'resumeId',
        extra: { status: resume.status },
      });
    }
    const job = await deps.store.jobs.get(userId, resume.jobId);
    if (!job) throw new AppError('not_found', 'The resume’s job no longer exists.');
    if (deps.redis.status !== 'ready')
      throw new AppError('unavailable', 'The job queue is unavailable; try again shortly.');
    // Back to `queued`; a done resume keeps its current analysis readable until the new one lands.
    const requeued = await deps.store.resumes.transition(
      userId,
      resume.id,
      [resume.status],
      { status: 'queued', error: null },
      now(),
    );
    if (!requeued) throw new AppError('conflict', 'The resume changed meanwhile; try again.');
    try {
      await deps.analysisQueue.enqueue(
        'analyse-resume',
        {
          userId,
          resumeId: resume.id,
          jobId: job.id,
          batchId: resume.batchId,
          jobVersion: job.version,
          requestId: String(res.locals.requestId),
          ...(force ? { force } : {}),
        },
        // A fresh BullMQ id: the earlier job of this version may still be kept as completed/failed.
        { jobId: `${analysisJobId(resume.id, job.version)}-r${Date.now().toString(36)}` },
      );
    } catch (error) {
      await deps.store.resumes.transition(
        userId,
        resume.id,
        ['queued'],
        { status: resume.status, error: resume.error },
        now(),
      );
      throw error;
    }
    res.status(202).location(`/v1/resumes/${resume.id}`).json(requeued.resume);
  });

  return router;
}

/**
 * Right to erasure: the resume's emails keep their status for the record, not their content or
 * recipient; queued ones are cancelled. Each page's copies kept by the mail transport (outbox
 * files) go to `forget`.
 */
async function eraseEmailBodies(
  deps: GatewayDeps,
  userId: string,
  resumeId: string,
  at: string,
  forget: (copies: EmailCopy[]) => Promise<unknown>,
): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.emails.list(userId, { resumeId }, { cursor, limit: 200 });
    const rows = [];
    for (const email of page.items) {
      rows.push(await eraseEmail(deps.store, email, at));
      erased += 1;
    }
    await forget(copiesOf(rows));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return erased;
}

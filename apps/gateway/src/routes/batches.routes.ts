import { Readable } from 'node:stream';
import { Router } from 'express';
import { AppError, PageQuery, TextBatchBody, newId } from '@shortlist/contracts';
import { resumeBlobKey } from '@shortlist/blobs';
import { principal } from '../auth';
import type { GatewayDeps } from '../deps';
import { parse } from '../http/validate';
import { createBatch } from '../uploads/create-batch';
import { receiveFiles, safeFileName, type ReceivedFile } from '../uploads/receive-files';
import { createHash } from 'node:crypto';

/** Routes under `/v1/jobs/:jobId/batches`. */
export function jobBatchesRoutes(deps: GatewayDeps): Router {
  const router = Router({ mergeParams: true });

  router.post('/', async (req, res) => {
    const { userId } = principal(res);
    const job = await deps.store.jobs.get(userId, (req.params as { jobId: string }).jobId);
    if (!job) throw new AppError('not_found', 'No such job.');
    const isJson = (req.get('content-type') ?? '').toLowerCase().startsWith('application/json');
    const files = isJson
      ? await storeTexts(deps, userId, parse(TextBatchBody, req.body ?? {}).resumes)
      : await receiveFiles(req, {
          blobs: deps.blobs,
          userId,
          limits: deps.limits,
          logger: res.locals.logger,
        });
    const result = await createBatch(deps, job, files, String(res.locals.requestId));
    res.status(202).location(`/v1/batches/${result.batch.id}`).json(result);
  });

  router.get('/', async (req, res) => {
    const { userId } = principal(res);
    const jobId = (req.params as { jobId: string }).jobId;
    if (!(await deps.store.jobs.get(userId, jobId)))
      throw new AppError('not_found', 'No such job.');
    res.json(
      await deps.store.batches.list(userId, { jobId }, parse(PageQuery, req.query, 'query')),
    );
  });

  return router;
}

async function storeTexts(
  deps: GatewayDeps,
  userId: string,
  resumes: { fileName: string; text: string }[],
): Promise<ReceivedFile[]> {
  const stored: ReceivedFile[] = [];
  try {
    for (const item of resumes) {
      const bytes = Buffer.from(item.text, 'utf8');
      const resumeId = newId('res');
      const blobKey = resumeBlobKey(userId, resumeId);
      await deps.blobs.put(blobKey, Readable.from([bytes]), 'text/plain; charset=utf-8');
      stored.push({
        resumeId,
        fileName: safeFileName(item.fileName),
        blobKey,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        head: bytes.subarray(0, 4_096),
      });
    }
  } catch (error) {
    await Promise.all(stored.map((f) => deps.blobs.delete(f.blobKey).catch(() => false)));
    throw new AppError('unavailable', 'The file store is unavailable; try again shortly.', {
      cause: error,
    });
  }
  return stored;
}

/** Routes under `/v1/batches`. */
export function batchesRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/:batchId', async (req, res) => {
    const { userId } = principal(res);
    const batch = await deps.store.batches.get(userId, req.params.batchId);
    if (!batch) throw new AppError('not_found', 'No such batch.');
    res.json(batch);
  });
  return router;
}

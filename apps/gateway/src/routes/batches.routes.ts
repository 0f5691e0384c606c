import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import {
  AppError,
  PageQuery,
  TextBatchBody,
  UploadQuery,
  newId,
  type Batch,
} from '@shortlist/contracts';
import { resumeBlobKey } from '@shortlist/blobs';
import { isStreamId, type ProgressMessage } from '@shortlist/queue';
import { principal } from '../auth';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import type { ResumeQuota } from '../http/rate-limit';
import { sseMessage, type SseRegistry } from '../http/sse';
import { parse } from '../http/validate';
import { createBatch } from '../uploads/create-batch';
import { receiveFiles, safeFileName, type ReceivedFile } from '../uploads/receive-files';

/** Routes under `/v1/jobs/:jobId/batches`. */
export function jobBatchesRoutes(deps: GatewayDeps, quota: ResumeQuota): Router {
  const router = Router({ mergeParams: true });

  router.post('/', async (req, res) => {
    const { userId } = principal(res);
    const job = await deps.store.jobs.get(userId, (req.params as { jobId: string }).jobId);
    if (!job) throw new AppError('not_found', 'No such job.');
    const { economy } = parse(UploadQuery, req.query, 'query');
    const isJson = (req.get('content-type') ?? '').toLowerCase().startsWith('application/json');
    const ticket = quota.ticket(userId);
    let files: ReceivedFile[];
    if (isJson) {
      const body = parse(TextBatchBody, req.body ?? {});
      await ticket.take(body.resumes.length);
      files = await storeTexts(deps, userId, body.resumes).catch(async (error: unknown) => {
        await ticket.giveBack();
        throw error;
      });
    } else {
      try {
        files = await receiveFiles(req, {
          blobs: deps.blobs,
          userId,
          limits: deps.limits,
          logger: res.locals.logger,
          quota: ticket,
        });
      } catch (error) {
        await ticket.giveBack();
        // The rest of the body is not read: the connection closes after the answer.
        if (!req.complete) res.setHeader('Connection', 'close');
        throw error;
      }
    }
    try {
      const result = await createBatch(deps, job, files, String(res.locals.requestId), {
        economy,
      });
      await ticket.giveBack(ticket.taken - result.batch.counts.queued);
      res.status(202).location(`/v1/batches/${result.batch.id}`).json(result);
    } catch (error) {
      await ticket.giveBack();
      throw error;
    }
  });

  router.get('/', async (req, res) => {
    const { userId } = principal(res);
    const jobId = (req.params as { jobId: string }).jobId;
    if (!(await deps.store.jobs.get(userId, jobId)))
      throw new AppError('not_found', 'No such job.');
    const page = await deps.store.batches.list(
      userId,
      { jobId },
      parse(PageQuery, req.query, 'query'),
    );
    const at = now(deps);
    res.json({ ...page, items: page.items.map((b) => withProgress(b, at)) });
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
      await deps.blobs.put(blobKey, bytes, 'text/plain; charset=utf-8');
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

const now = (deps: GatewayDeps) => (deps.now ?? (() => new Date()))();

/** A batch with what a progress bar needs: finished/remaining, percent, rate and ETA. */
export function withProgress(batch: Batch, at: Date) {
  const c = batch.counts;
  const finished = c.done + c.failed + c.duplicate;
  const remaining = Math.max(0, c.total - finished);
  const analysed = c.done + c.failed;
  const end = batch.finishedAt && remaining === 0 ? new Date(batch.finishedAt) : at;
  const elapsedSeconds = Math.max(0.001, (end.getTime() - Date.parse(batch.createdAt)) / 1000);
  const perSecond = analysed / elapsedSeconds;
  return {
    ...batch,
    progress: {
      state: remaining === 0 ? ('finished' as const) : ('running' as const),
      finished,
      remaining,
      percent: c.total === 0 ? 100 : Math.floor((finished / c.total) * 1000) / 10,
      resumesPerMinute: Math.round(perSecond * 60 * 10) / 10,
      etaSeconds: remaining === 0 ? 0 : perSecond > 0 ? Math.ceil(remaining / perSecond) : null,
    },
  };
}

/** A finished batch's last events are published just after its counters close. */
const FINISHED_SETTLE_MS = 5_000;

/** Routes under `/v1/batches`. */
export function batchesRoutes(deps: GatewayDeps, sse: SseRegistry): Router {
  const router = Router();
  router.get('/:batchId', async (req, res) => {
    const { userId } = principal(res);
    const batch = await deps.store.batches.get(userId, req.params.batchId);
    if (!batch) throw new AppError('not_found', 'No such batch.');
    res.json(withProgress(batch, now(deps)));
  });

  router.get('/:batchId/events', async (req, res) => {
    const { userId } = principal(res);
    const batch = await deps.store.batches.get(userId, req.params.batchId);
    if (!batch) throw new AppError('not_found', 'No such batch.');
    const raw = req.get('last-event-id') ?? (req.query.lastEventId as string | undefined);
    const after = raw && isStreamId(raw.trim()) ? raw.trim() : null;
    await streamEvents(deps, sse, res, batch, after, userId);
  });
  return router;
}

async function streamEvents(
  deps: GatewayDeps,
  sse: SseRegistry,
  res: Response,
  batch: Batch,
  after: string | null,
  userId: string,
): Promise<void> {
  let ended = false;
  let heartbeat: NodeJS.Timeout | undefined = undefined;
  let unregister = () => {};
  const write = (message: ProgressMessage) => {
    if (ended) return;
    res.write(sseMessage(message.event, message.id));
    if (message.event.type === 'batch.finished') void finish();
  };
  const follow = await deps.progress.follow(batch.id, {
    after,
    onMessage: write,
    onError: () => void finish(),
  });
  async function finish() {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unregister();
    await follow.close();
    if (!res.writableEnded) res.end();
  }
  res.on('close', () => void finish());

  const settled =
    batch.finishedAt !== null &&
    batch.counts.queued + batch.counts.processing === 0 &&
    now(deps).getTime() - Date.parse(batch.finishedAt) > FINISHED_SETTLE_MS;
  if (after !== null && !follow.gap && follow.replay.length === 0 && settled) {
    // Nothing more will ever come: 204 tells EventSource clients to stop reconnecting.
    await follow.close();
    res.status(204).end();
    return;
  }

  unregister = sse.start(res, finish);
  if (after === null || follow.gap) {
    const fresh = (await deps.store.batches.get(userId, batch.id)) ?? batch;
    res.write(
      sseMessage(
        { type: 'snapshot', batchId: batch.id, batch: withProgress(fresh, now(deps)) },
        follow.replay.length === 0 ? follow.startId : undefined,
      ),
    );
    if (after === null && fresh.finishedAt && fresh.counts.queued + fresh.counts.processing === 0) {
      await finish();
      return;
    }
  }
  for (const message of follow.replay) write(message);
  if (ended) return;
  follow.start();
  heartbeat = setInterval(
    () => {
      if (!ended) res.write(': keep-alive\n\n');
    },
    (deps.sseHeartbeatSeconds ?? 15) * 1000,
  );
  heartbeat.unref();
}

import { buffer } from 'node:stream/consumers';
import { type Scorer } from '@shortlist/analysis';
import { BlobNotFoundError, type BlobStore } from '@shortlist/blobs';
import {
  type AnalyseResumePayload,
  type BatchCounts,
  type ProgressEvent,
  type Resume,
} from '@shortlist/contracts';
import { decodeText, sniff, unreadableReason } from '@shortlist/extract';
import type { Logger } from '@shortlist/observability';
import { UnrecoverableError, publishProgress, type Job, type Redis } from '@shortlist/queue';
import type { Store } from '@shortlist/store';

export interface AnalyseDeps {
  store: Store;
  blobs: BlobStore;
  scorer: Scorer;
  publisher: Redis;
  prefix: string;
  logger: Logger;
  now?: () => Date;
}

/** A failure that retrying cannot fix (the file itself is bad); the message is for the recruiter. */
export class BadResumeError extends UnrecoverableError {}

/**
 * Scores one resume. Status moves queued -> processing -> done|failed by compare-and-set, and
 * batch counters move only with a transition this call actually made, so a retried or
 * redelivered job never counts twice and a resume ends in exactly one final state.
 */
export function analyseResumeProcessor(deps: AnalyseDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  const publish = async (event: Omit<ProgressEvent, 'at'>) => {
    const message: ProgressEvent = { ...event, at: now() };
    await publishProgress(deps.publisher, deps.prefix, message).catch((error: unknown) =>
      deps.logger.warn('progress publish failed', { error }),
    );
  };

  const countAndPublish = async (
    resume: Resume,
    delta: Partial<BatchCounts>,
    event: Omit<ProgressEvent, 'at'>,
  ) => {
    const batch = await deps.store.batches.adjustCounts(
      resume.userId,
      resume.batchId,
      delta,
      now(),
    );
    await publish(event);
    if (batch?.finishedAt && delta.processing === -1) {
      const finalCount = batch.counts.done + batch.counts.failed + batch.counts.duplicate;
      if (finalCount === batch.counts.total)
        await publish({ type: 'batch.finished', batchId: batch.id });
    }
  };

  const fail = async (payload: AnalyseResumePayload, reason: string) => {
    const failed = await deps.store.resumes.transition(
      payload.userId,
      payload.resumeId,
      ['queued', 'processing'],
      { status: 'failed', error: reason, jobVersion: payload.jobVersion },
      now(),
    );
    if (failed) {
      await countAndPublish(
        failed,
        { processing: -1, failed: 1 },
        {
          type: 'resume.failed',
          batchId: failed.batchId,
          resumeId: failed.id,
          error: reason,
        },
      );
    }
  };

  const process = async (
    payload: AnalyseResumePayload,
    job: Job,
  ): Promise<{ score: number } | { skipped: string }> => {
    const log = deps.logger.child({
      resumeId: payload.resumeId,
      requestId: payload.requestId,
      attempt: job.attemptsMade + 1,
    });
    const claimed = await deps.store.resumes.transition(
      payload.userId,
      payload.resumeId,
      ['queued'],
      { status: 'processing' },
      now(),
    );
    let resume = claimed;
    if (claimed) {
      await countAndPublish(
        claimed,
        { queued: -1, processing: 1 },
        {
          type: 'resume.processing',
          batchId: claimed.batchId,
          resumeId: claimed.id,
        },
      );
    } else {
      resume = await deps.store.resumes.get(payload.userId, payload.resumeId);
      if (!resume) return { skipped: 'resume deleted' };
      if (resume.status !== 'processing') return { skipped: `already ${resume.status}` };
      log.info('resuming a resume left in processing (retry or stalled worker)');
    }
    const current = resume!;

    const jobRecord = await deps.store.jobs.get(payload.userId, payload.jobId);
    if (!jobRecord) throw new BadResumeError('The job was deleted.');

    let bytes: Buffer;
    try {
      bytes = await buffer(await deps.blobs.get(current.blobKey));
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new BadResumeError('The uploaded file is missing from storage.');
      throw error;
    }
    const kind = sniff(bytes.subarray(0, 4_096)).kind;
    const reason = unreadableReason(kind);
    if (reason) throw new BadResumeError(reason);
    const text = decodeText(bytes);
    if (text.trim().length === 0) throw new BadResumeError('The file contains no text.');

    const analysis = await deps.scorer.analyse({ text, job: jobRecord });
    const done = await deps.store.resumes.transition(
      payload.userId,
      payload.resumeId,
      ['processing'],
      {
        status: 'done',
        error: null,
        analysis,
        score: analysis.score,
        tier: analysis.tier,
        textChars: text.length,
        jobVersion: jobRecord.version,
        warnings: [...current.warnings, ...analysis.warnings],
      },
      now(),
    );
    if (done) {
      await countAndPublish(
        done,
        { processing: -1, done: 1 },
        {
          type: 'resume.done',
          batchId: done.batchId,
          resumeId: done.id,
          score: analysis.score,
          tier: analysis.tier,
        },
      );
    }
    return { score: analysis.score };
  };

  return async (payload: AnalyseResumePayload, job: Job) => {
    try {
      return await process(payload, job);
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      const lastAttempt = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
      if (lastAttempt) {
        const reason =
          error instanceof BadResumeError
            ? error.message
            : 'Analysis failed repeatedly because of a temporary problem; re-upload the file to try again.';
        deps.logger.warn('resume failed', { resumeId: payload.resumeId, reason, error });
        await fail(payload, reason);
      }
      throw error;
    }
  };
}

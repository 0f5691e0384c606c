import { BlobNotFoundError, type BlobStore } from '@shortlist/blobs';
import { readCapped } from '@shortlist/extract';
import { jobKey, type RedisCache } from '@shortlist/cache';
import {
  resumeTextKey,
  type AnalyseResumePayload,
  type Batch,
  type Job,
  type ProgressEvent,
  type Resume,
} from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import { UnrecoverableError, type AnalysisOutcome, type Job as QueueJob } from '@shortlist/queue';
import type { Store, Transitioned } from '@shortlist/store';
import type { Analyser } from '../pipeline/analyser';
import { BadResumeError, type FailureCode } from '../pipeline/errors';
import type { TextExtractor } from '../pipeline/extraction';
import type { WorkerMetrics } from '../pipeline/metrics';

/**
 * Publishes one progress event for the gateway's SSE relay. Repeating an event (same type,
 * resume and `at`) logs it once; `finals` holds `batch.finished` back until that many final
 * events are logged. Throws when Redis cannot take it: the job is retried and announces again.
 */
export type PublishProgress = (
  event: ProgressEvent,
  options?: { finals?: number },
) => Promise<void>;

export interface AnalyseDeps {
  store: Store;
  blobs: BlobStore;
  extractor: TextExtractor;
  analyser: Analyser;
  cache: RedisCache;
  publish: PublishProgress;
  /** Counts a finished analysis in the per-minute stats series; never throws. */
  recordOutcome?: (outcome: AnalysisOutcome) => Promise<void>;
  /** Economy mode for jobs that do not say (ECONOMY_MODE). */
  economyByDefault?: boolean;
  metrics: WorkerMetrics;
  logger: Logger;
  now?: () => Date;
}

export type AnalyseOutcome =
  | { outcome: 'done' | 'rescored'; score: number; source: string }
  | { outcome: 'skipped'; reason: string };

const RETRIES_EXHAUSTED =
  'Analysis failed repeatedly because of a temporary problem; re-upload the file to try again.';

/**
 * Scores one resume. Status moves queued -> processing -> done|failed by compare-and-set, and the
 * store moves the batch counters in the same atomic write, so a retried, stalled, duplicated or
 * killed job never counts twice (or not at all) and a resume ends in exactly one final state. A `done` resume is re-scored
 * when its job has a newer version: the old analysis stays readable until the new one replaces it
 * (compare-and-set on the job version, so results never go back to an older version).
 */
export function analyseResumeProcessor(deps: AnalyseDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    const end = deps.metrics.stage.startTimer({ stage });
    try {
      return await run();
    } finally {
      end();
    }
  };

  const record = (
    resume: { userId: string; jobId: string },
    status: AnalysisOutcome['status'],
    analysis?: { cached: boolean; costUsd: number },
  ) =>
    deps.recordOutcome?.({
      userId: resume.userId,
      jobId: resume.jobId,
      status,
      cached: analysis?.cached ?? false,
      costUsd: analysis?.costUsd ?? 0,
      at: new Date(now()),
    });

  /**
   * Publishes a resume's event, then `batch.finished` when this very change finished the batch.
   * Both carry the time of the stored change, so a re-run that announces them again (the worker
   * died before it could) repeats them exactly and they are logged once.
   */
  const publishMoved = async (moved: Transitioned, event: Omit<ProgressEvent, 'at'>) => {
    await deps.publish({ ...event, at: moved.resume.updatedAt });
    if (moved.batchFinished && moved.batch) await publishFinished(moved.batch);
  };
  const publishFinished = (batch: Batch) =>
    deps.publish(
      { type: 'batch.finished', batchId: batch.id, at: batch.finishedAt ?? now() },
      // Another worker's final event may still be on its way (its Redis connection came back
      // later): the log holds this one back until every counted result is in.
      { finals: batch.counts.done + batch.counts.failed },
    );

  /**
   * A re-run of a job whose resume is already final announces its result again: the worker that
   * stored it may have died (or lost Redis) before announcing it. Repeats are logged once.
   */
  const announceFinal = async (resume: Resume) => {
    if (resume.status === 'done')
      await deps.publish({
        type: 'resume.done',
        batchId: resume.batchId,
        resumeId: resume.id,
        score: resume.score,
        tier: resume.tier,
        at: resume.updatedAt,
      });
    else if (resume.status === 'failed')
      await deps.publish({
        type: 'resume.failed',
        batchId: resume.batchId,
        resumeId: resume.id,
        error: resume.error,
        at: resume.updatedAt,
      });
    else return;
    const batch = await deps.store.batches.get(resume.userId, resume.batchId);
    const c = batch?.counts;
    if (batch?.finishedAt && c && c.queued + c.processing === 0) await publishFinished(batch);
  };

  /** Records `failed` once (only from queued/processing; a done resume keeps its analysis). */
  const fail = async (payload: AnalyseResumePayload, reason: string, code: FailureCode) => {
    const patch = { status: 'failed' as const, error: reason, jobVersion: payload.jobVersion };
    const failed = await deps.store.resumes.transition(
      payload.userId,
      payload.resumeId,
      ['processing', 'queued'],
      patch,
      now(),
    );
    if (!failed) {
      const current = await deps.store.resumes.get(payload.userId, payload.resumeId);
      if (current) await announceFinal(current);
      return false;
    }
    deps.metrics.processed.inc({ outcome: 'failed' });
    deps.metrics.failed.inc({ reason: code });
    await record(failed.resume, 'failed');
    await publishMoved(failed, {
      type: 'resume.failed',
      batchId: failed.resume.batchId,
      resumeId: failed.resume.id,
      error: reason,
    });
    return true;
  };

  const loadJob = async (payload: AnalyseResumePayload): Promise<Job | null> => {
    const cached = await deps.cache.get<Job>(
      jobKey({ jobId: payload.jobId, jobVersion: payload.jobVersion }),
    );
    if (cached && cached.userId === payload.userId) {
      return cached;
    }
    const job = await deps.store.jobs.get(payload.userId, payload.jobId);
    if (job) await deps.cache.set(jobKey({ jobId: job.id, jobVersion: job.version }), job);
    return job;
  };

  const process = async (payload: AnalyseResumePayload, job: QueueJob): Promise<AnalyseOutcome> => {
    const log = deps.logger.child({
      resumeId: payload.resumeId,
      requestId: payload.requestId,
      attempt: job.attemptsMade + 1,
    });
    const resume = await deps.store.resumes.get(payload.userId, payload.resumeId);
    if (!resume) return { outcome: 'skipped', reason: 'resume deleted' };
    if (resume.status === 'duplicate' || resume.status === 'failed') {
      await announceFinal(resume);
      return { outcome: 'skipped', reason: `already ${resume.status}` };
    }

    const jobRecord = await loadJob(payload);
    if (!jobRecord) throw new BadResumeError('The job was deleted.', 'job_deleted');
    if (resume.status === 'done' && resume.jobVersion >= jobRecord.version) {
      await announceFinal(resume);
      return { outcome: 'skipped', reason: `already done at job version ${resume.jobVersion}` };
    }
    const rescore = resume.status === 'done';

    let current = resume;
    if (resume.status === 'queued') {
      const claimed = await deps.store.resumes.transition(
        payload.userId,
        payload.resumeId,
        ['queued'],
        { status: 'processing' },
        now(),
      );
      if (!claimed) return process(payload, job); // another worker moved it first: look again
      current = claimed.resume;
      await publishMoved(claimed, {
        type: 'resume.processing',
        batchId: current.batchId,
        resumeId: current.id,
      });
    } else if (resume.status === 'processing') {
      log.info('continuing a resume left in processing (retry, stalled worker or newer version)');
    }

    const bytes = await timed('download', async () => {
      try {
        return await readCapped(await deps.blobs.get(current.blobKey), deps.extractor.maxBytes);
      } catch (error) {
        if (error instanceof BlobNotFoundError)
          throw new BadResumeError('The uploaded file is missing from storage.', 'missing_file');
        throw error;
      }
    });
    const extracted = await timed('extract', () => deps.extractor.extract(bytes));
    if (extracted.verdict !== 'ok')
      throw new BadResumeError(extracted.reason ?? 'The file cannot be read.', extracted.verdict);
    // The text the evidence quotes come from, for the recruiter (GET /v1/resumes/:id/text). A
    // plain-text upload whose text is the file itself gets no second copy: the gateway serves the
    // file, and creating a file is the dearest step of a resume here (about 2 ms of CPU).
    const textKey = resumeTextKey(current.blobKey);
    const textBytes = Buffer.from(extracted.text);
    if (!textBytes.equals(bytes))
      await timed('store', () => deps.blobs.put(textKey, textBytes, 'text/plain'));

    const { analysis, source, warnings } = await timed('analyse', () =>
      deps.analyser.analyse({
        text: extracted.text,
        hiddenText: extracted.hiddenText,
        economy: payload.economy ?? deps.economyByDefault ?? false,
        force: payload.force ?? false,
        ...(extracted.candidate ? { profile: extracted.candidate } : {}),
        job: jobRecord,
        resumeId: current.id,
      }),
    );
    // A re-score recomputes every analysis-time warning from the file; upload-time ones stay.
    const fresh = [...analysis.warnings, ...warnings];
    const patch = {
      error: null,
      analysis: { ...analysis, warnings: [...analysis.warnings, ...warnings] },
      score: analysis.score,
      tier: analysis.tier,
      textChars: extracted.text.length,
      ...(extracted.candidate ? { candidate: extracted.candidate } : {}),
      warnings: rescore ? fresh : [...current.warnings, ...fresh],
    };

    return timed('store', async (): Promise<AnalyseOutcome> => {
      if (!rescore) {
        const done = await deps.store.resumes.transition(
          payload.userId,
          payload.resumeId,
          ['processing'],
          { ...patch, status: 'done', jobVersion: jobRecord.version },
          now(),
        );
        if (done) {
          deps.metrics.processed.inc({ outcome: 'done' });
          await record(done.resume, 'done', analysis);
          await publishMoved(done, {
            type: 'resume.done',
            batchId: done.resume.batchId,
            resumeId: done.resume.id,
            score: analysis.score,
            tier: analysis.tier,
          });
          return { outcome: 'done', score: analysis.score, source };
        }
      }
      // Re-scoring, or another worker finished this resume (at an older version) first.
      const replaced = await deps.store.resumes.replaceAnalysis(
        payload.userId,
        payload.resumeId,
        jobRecord.version,
        patch,
        now(),
      );
      if (!replaced) {
        // Erased while it was being analysed: its text must not outlive it.
        if (!(await deps.store.resumes.get(payload.userId, payload.resumeId)))
          await deps.blobs.delete(textKey).catch(() => false);
        return { outcome: 'skipped', reason: 'a newer or equal result is stored' };
      }
      deps.metrics.processed.inc({ outcome: 'rescored' });
      await record(replaced, 'done', analysis);
      await deps.publish({
        type: 'resume.rescored',
        batchId: replaced.batchId,
        resumeId: replaced.id,
        score: analysis.score,
        tier: analysis.tier,
        at: replaced.updatedAt,
      });
      return { outcome: 'rescored', score: analysis.score, source };
    });
  };

  return {
    /** The BullMQ processor. */
    async process(payload: AnalyseResumePayload, job: QueueJob): Promise<AnalyseOutcome> {
      try {
        return await process(payload, job);
      } catch (error) {
        const attempts = job.opts.attempts ?? 1;
        const lastAttempt = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
        if (lastAttempt) {
          const bad = error instanceof BadResumeError ? error : null;
          deps.logger.warn('resume failed', {
            resumeId: payload.resumeId,
            reason: bad?.message ?? RETRIES_EXHAUSTED,
            error,
          });
          await fail(payload, bad?.message ?? RETRIES_EXHAUSTED, bad?.code ?? 'retries_exhausted');
        }
        throw error;
      }
    },
    /**
     * Records a job BullMQ gave up on outside the processor (stalled too many times) as failed,
     * so the resume still reaches a final state.
     */
    async giveUp(payload: AnalyseResumePayload, reason: string): Promise<boolean> {
      return fail(payload, reason, 'stalled');
    },
  };
}

export type AnalyseResumeProcessor = ReturnType<typeof analyseResumeProcessor>;

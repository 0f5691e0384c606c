import {
  AppError,
  EMPTY_CANDIDATE,
  analysisJobId,
  newId,
  type Batch,
  type Job,
  type Resume,
} from '@shortlist/contracts';
import { sniff, unreadableReason } from '@shortlist/extract';
import type { GatewayDeps } from '../deps';
import type { ReceivedFile } from './receive-files';

/** What happened to each uploaded file, in upload order. */
export interface FileOutcome {
  fileName: string;
  status: 'queued' | 'duplicate' | 'rejected';
  resumeId: string | null;
  duplicateOf?: string;
  reason?: string;
}

/**
 * Turns stored files into a batch: unreadable types are rejected (and their blobs deleted),
 * repeats of content already in the job are recorded as duplicates, the rest are queued for
 * analysis with one job each. If no file is usable nothing is kept and a 4xx explains why.
 */
export async function createBatch(
  deps: GatewayDeps,
  job: Job,
  files: ReceivedFile[],
  requestId: string,
  options: { economy?: boolean } = {},
): Promise<{ batch: Batch; files: FileOutcome[] }> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  if (files.length === 0) {
    throw new AppError(
      'validation_failed',
      'No files received: attach one or more resumes as "files".',
      {
        field: 'files',
      },
    );
  }
  const outcomes: FileOutcome[] = [];
  const resumes: Resume[] = [];
  const seen = new Map<string, string>();
  const batchId = newId('bat');

  for (const file of files) {
    const type = sniff(file.head);
    const reason = unreadableReason(type.kind);
    if (reason) {
      outcomes.push({ fileName: file.fileName, status: 'rejected', resumeId: null, reason });
      await deps.blobs.delete(file.blobKey).catch(() => false);
      continue;
    }
    const earlier =
      seen.get(file.sha256) ??
      (await deps.store.resumes.findBySha256(job.userId, job.id, file.sha256))?.id;
    const duplicateOf = earlier ?? null;
    if (!earlier) seen.set(file.sha256, file.resumeId);
    resumes.push({
      id: file.resumeId,
      userId: job.userId,
      jobId: job.id,
      batchId,
      fileName: file.fileName,
      blobKey: file.blobKey,
      sha256: file.sha256,
      size: file.size,
      mime: type.mime,
      uploadedAt: at,
      status: duplicateOf ? 'duplicate' : 'queued',
      error: null,
      duplicateOf,
      jobVersion: job.version,
      textChars: null,
      candidate: EMPTY_CANDIDATE,
      analysis: null,
      score: null,
      tier: null,
      warnings: duplicateOf
        ? [
            {
              code: 'duplicate',
              message: 'The same file was already uploaded to this job.',
              snippet: null,
            },
          ]
        : [],
      updatedAt: at,
    });
    outcomes.push(
      duplicateOf
        ? { fileName: file.fileName, status: 'duplicate', resumeId: file.resumeId, duplicateOf }
        : { fileName: file.fileName, status: 'queued', resumeId: file.resumeId },
    );
  }

  if (resumes.length === 0) {
    throw new AppError('unsupported_media_type', 'None of the files can be read as a resume.', {
      field: 'files',
      errors: outcomes.map((o, i) => ({
        field: `files.${i}`,
        message: `${o.fileName}: ${o.reason}`,
      })),
    });
  }

  const queued = resumes.filter((r) => r.status === 'queued');
  const duplicates = resumes.length - queued.length;
  const batch: Batch = {
    id: batchId,
    userId: job.userId,
    jobId: job.id,
    counts: {
      total: resumes.length,
      queued: queued.length,
      processing: 0,
      done: 0,
      failed: 0,
      duplicate: duplicates,
    },
    createdAt: at,
    finishedAt: queued.length === 0 ? at : null,
  };
  await deps.store.batches.create(batch);
  await deps.store.resumes.createMany(resumes);
  try {
    await deps.analysisQueue.enqueueBulk(
      queued.map((resume) => ({
        name: 'analyse-resume' as const,
        payload: {
          userId: job.userId,
          resumeId: resume.id,
          jobId: job.id,
          batchId,
          jobVersion: job.version,
          requestId,
          ...(options.economy ? { economy: true } : {}),
        },
        options: { jobId: analysisJobId(resume.id, job.version) },
      })),
    );
  } catch (error) {
    const removed = await deps.store.batches.delete(job.userId, batchId);
    await Promise.all(
      (removed?.blobKeys ?? []).map((key) => deps.blobs.delete(key).catch(() => false)),
    );
    throw error;
  }
  return { batch, files: outcomes };
}

import type { ApiKey, Batch, BatchCounts, Job, Resume } from '@shortlist/contracts';
import type { DocumentData } from 'firebase-admin/firestore';
import type { ResumePatch } from '../types';

/**
 * Document shapes. Records are stored as they are (ISO timestamps stay strings, so ordering and
 * equality match SQLite), plus a few derived top-level fields that queries and aggregations need:
 * Firestore can only filter, sort, count and sum top-level indexed fields.
 */

export const COUNTER_FIELDS = [
  'total',
  'queued',
  'processing',
  'done',
  'failed',
  'duplicate',
] as const satisfies readonly (keyof BatchCounts)[];

/** Derived resume fields: never part of the `Resume` returned to callers. */
interface ResumeDerived {
  /** Score, or -1 when unscored: one numeric sort key with unscored last (as SQLite's coalesce). */
  scoreSort: number;
  hasWarnings: boolean;
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
}

function derived(resume: Pick<Resume, 'score' | 'warnings' | 'analysis'>): ResumeDerived {
  return {
    scoreSort: resume.score ?? -1,
    hasWarnings: resume.warnings.length > 0,
    costUsd: resume.analysis?.costUsd ?? 0,
    tokensIn: resume.analysis?.tokensIn ?? 0,
    tokensOut: resume.analysis?.tokensOut ?? 0,
  };
}

export function resumeToDoc(resume: Resume): DocumentData {
  return { ...resume, ...derived(resume) };
}

export function docToResume(data: DocumentData): Resume {
  const {
    scoreSort: _scoreSort,
    hasWarnings: _hasWarnings,
    costUsd: _costUsd,
    tokensIn: _tokensIn,
    tokensOut: _tokensOut,
    ...resume
  } = data;
  return resume as Resume;
}

/** The fields a resume patch writes, with the derived fields kept in step. */
export function resumePatchToDoc(current: Resume, patch: ResumePatch, at: string): DocumentData {
  const defined = Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as ResumePatch;
  return {
    ...defined,
    ...derived({ ...current, ...defined }),
    updatedAt: at,
  };
}

export function apiKeyToDoc(key: ApiKey): DocumentData {
  return { ...key, active: key.revokedAt === null };
}

export function docToApiKey(data: DocumentData): ApiKey {
  const { active: _active, ...key } = data;
  return key as ApiKey;
}

export function batchToDoc(batch: Batch): DocumentData {
  const { counts, ...rest } = batch;
  return { ...rest, ...counts };
}

export function docToBatch(data: DocumentData): Batch {
  const counts = Object.fromEntries(COUNTER_FIELDS.map((k) => [k, Number(data[k] ?? 0)]));
  return {
    id: data.id as string,
    userId: data.userId as string,
    jobId: data.jobId as string,
    counts: counts as BatchCounts,
    createdAt: data.createdAt as string,
    finishedAt: (data.finishedAt ?? null) as string | null,
  };
}

/** Drops `undefined` members so a patch never writes them. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** A job document as a Job: a cleared `criteriaReusedFrom` is stored as null, read as absent. */
export function docToJob(data: DocumentData | undefined): Job | null {
  if (!data) return null;
  if (data.criteriaReusedFrom !== null) return data as Job;
  const { criteriaReusedFrom: _cleared, ...job } = data;
  return job as Job;
}

import { createHash, randomBytes } from 'node:crypto';
import {
  DEFAULT_THRESHOLDS,
  EMPTY_CANDIDATE,
  newId,
  type Analysis,
  type Batch,
  type EmailMessage,
  type Job,
  type Resume,
  type ResumeStatus,
  type Tier,
  type User,
} from '@shortlist/contracts';

/** Test records with realistic shapes; every call makes fresh ids, so tests never collide. */

const BASE = Date.parse('2025-03-01T09:00:00.000Z');

/** An ISO timestamp `seconds` after a fixed base. */
export function at(seconds: number): string {
  return new Date(BASE + seconds * 1000).toISOString();
}

/** A random id whose order is unrelated to creation order, so tie-breaks are really tested. */
export function randomId(kind: string): string {
  return `${kind}_${randomBytes(8).toString('hex')}`;
}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: newId('usr'),
    name: 'Jane Recruiter',
    role: 'member',
    firebaseUid: null,
    createdAt: at(0),
    ...overrides,
  };
}

export function makeJob(userId: string, overrides: Partial<Job> = {}): Job {
  return {
    id: randomId('job'),
    userId,
    title: 'Backend engineer',
    description: 'Node.js services in TypeScript with PostgreSQL and Redis.',
    criteria: [
      { name: 'TypeScript', weight: 2, required: true },
      { name: 'PostgreSQL', weight: 1, required: false },
    ],
    criteriaDerived: false,
    thresholds: DEFAULT_THRESHOLDS,
    blind: false,
    version: 1,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function makeBatch(
  userId: string,
  jobId: string,
  total: number,
  overrides: Partial<Batch> = {},
): Batch {
  return {
    id: randomId('bat'),
    userId,
    jobId,
    counts: { total, queued: total, processing: 0, done: 0, failed: 0, duplicate: 0 },
    createdAt: at(0),
    finishedAt: null,
    ...overrides,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function tierOf(score: number): Tier {
  if (score >= DEFAULT_THRESHOLDS.shortlist) return 'shortlist';
  if (score >= DEFAULT_THRESHOLDS.maybe) return 'maybe';
  return 'reject';
}

export function makeAnalysis(score: number, overrides: Partial<Analysis> = {}): Analysis {
  return {
    score,
    tier: tierOf(score),
    criteria: [
      {
        name: 'TypeScript',
        weight: 2,
        required: true,
        met: score >= 45 ? 'yes' : 'no',
        evidence: score >= 45 ? 'Built services in TypeScript' : null,
      },
    ],
    yearsExperience: 5,
    summary: 'Backend engineer with Node.js experience.',
    warnings: [],
    model: 'local-scorer',
    promptVersion: 'v1',
    tokensIn: 1_000,
    tokensOut: 200,
    costUsd: 0.00027,
    cached: false,
    durationMs: 12,
    ...overrides,
  };
}

export function makeResume(
  userId: string,
  jobId: string,
  batchId: string,
  overrides: Partial<Resume> = {},
): Resume {
  const id = overrides.id ?? randomId('res');
  return {
    id,
    userId,
    jobId,
    batchId,
    fileName: `${id}.pdf`,
    blobKey: `resumes/${userId}/${id}`,
    sha256: sha256(id),
    size: 12_345,
    mime: 'application/pdf',
    uploadedAt: at(0),
    status: 'queued',
    error: null,
    duplicateOf: null,
    jobVersion: 1,
    textChars: null,
    candidate: EMPTY_CANDIDATE,
    analysis: null,
    score: null,
    tier: null,
    warnings: [],
    updatedAt: at(0),
    ...overrides,
  };
}

/**
 * `count` resumes with a known spread: one in seven unscored (queued or failed), scores in steps
 * of 2.5 (whole and fractional numbers, many ties), upload times shared by groups of ten, every
 * fifth with a warning, and tokens/cost on each scored one.
 */
export function makeResumeSet(
  userId: string,
  jobId: string,
  batchId: string,
  count: number,
): Resume[] {
  return Array.from({ length: count }, (_, i) => {
    const unscored = i % 7 === 0;
    const score = unscored ? null : ((i * 37) % 41) * 2.5;
    const status: ResumeStatus = unscored ? (i % 2 === 0 ? 'queued' : 'failed') : 'done';
    const analysis =
      score === null
        ? null
        : makeAnalysis(score, { tokensIn: 1_000 + i, tokensOut: 100 + (i % 50) });
    return makeResume(userId, jobId, batchId, {
      uploadedAt: at(Math.floor(i / 10)),
      status,
      score,
      tier: analysis?.tier ?? null,
      analysis,
      textChars: unscored ? null : 2_000 + i,
      candidate: { name: `Candidate ${i}`, email: `c${i}@example.com`, phone: null, links: [] },
      warnings:
        i % 5 === 0
          ? [{ code: 'low_confidence', message: 'Little text could be read.', snippet: null }]
          : [],
    });
  });
}

export function makeEmail(
  userId: string,
  resume: Pick<Resume, 'id' | 'jobId'>,
  overrides: Partial<EmailMessage> = {},
): EmailMessage {
  return {
    id: randomId('eml'),
    userId,
    resumeId: resume.id,
    jobId: resume.jobId,
    kind: 'invite',
    priority: 5,
    to: 'candidate@example.com',
    subject: 'Your application',
    text: 'We would like to invite you to an interview.',
    html: null,
    status: 'queued',
    attempts: 0,
    lastError: null,
    messageId: null,
    idempotencyKey: `${resume.id}:invite:1`,
    createdAt: at(0),
    updatedAt: at(0),
    sentAt: null,
    ...overrides,
  };
}

/** The order every adapter must return for `sort=score`: best first, unscored last, ties by id. */
export function byScore(a: Resume, b: Resume): number {
  const sa = a.score ?? -1;
  const sb = b.score ?? -1;
  if (sa !== sb) return sb - sa;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The order for `sort=uploadedAt`: newest first, then best score, then id. */
export function byUploadedAt(a: Resume, b: Resume): number {
  if (a.uploadedAt !== b.uploadedAt) return a.uploadedAt < b.uploadedAt ? 1 : -1;
  return byScore(a, b);
}

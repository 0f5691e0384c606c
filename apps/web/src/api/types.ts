// Types of the public API. Domain shapes come from @shortlist/contracts as type-only imports (erased
// at build time, so no server code reaches the bundle); DTOs the contracts do not name live here.
export type {
  Analysis,
  Batch,
  BatchCounts,
  Criterion,
  CriterionVerdict,
  EmailKind,
  EmailMessage,
  EmailStatus,
  Job,
  Met,
  Page,
  ProblemDocument,
  ProgressEvent,
  Resume,
  ResumeWarning,
  Tier,
  TierThresholds,
  WarningCode,
} from '@shortlist/contracts';

import type { Batch } from '@shortlist/contracts';

/** Per-file outcome of an upload, in upload order. */
export interface FileOutcome {
  fileName: string;
  status: 'queued' | 'duplicate' | 'rejected';
  resumeId: string | null;
  duplicateOf?: string;
  reason?: string;
}

/** `202` body of `POST /v1/jobs/:id/batches`. */
export interface UploadResult {
  batch: Batch;
  files: FileOutcome[];
}

export type ResumeSortKey = 'score' | 'uploadedAt';

export interface ResumeQuery {
  sort?: ResumeSortKey;
  tier?: string;
  status?: string;
  minScore?: number;
  batchId?: string;
  cursor?: string;
  limit?: number;
}

/** Aggregates of a job's resumes (`GET /v1/jobs/:id/stats` where the gateway has it). */
export interface JobStats {
  total: number;
  byStatus: Record<string, number>;
  byTier: Record<string, number>;
  scoreHistogram: number[];
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
  cachedCount?: number;
  /** Finished resumes per minute, oldest first (`cached`: of them, answered from the cache). */
  series?: { at: string; count: number; cached?: number }[];
  /** Processing rate over the job's batches (from the stats endpoint). */
  rate?: { batches: number; analysed: number; busySeconds: number; resumesPerMinute: number };
  /** The last `minutes` as the workers counted them (from the stats endpoint). */
  recent?: { minutes: number; done: number; cached: number; cacheHitRate: number | null };
}

/** `GET /v1/stats` and `/v1/jobs/:id/stats` as the gateway answers them. */
export interface ApiStats extends Omit<JobStats, 'rate' | 'series' | 'recent'> {
  processing?: JobStats['rate'];
  throughput?: {
    minutes: number;
    points: { minute: string; done: number; failed: number; cached: number; costUsd: number }[];
    done: number;
    failed: number;
    cacheHitRate: number | null;
  } | null;
}

/** What an email says: a built-in template kind, optionally with your own subject and body. */
export interface EmailContent {
  kind: 'invite' | 'reject' | 'custom';
  subject?: string;
  body?: string;
  rejectionReason?: string;
  personalise?: boolean;
}

/** One recipient: a resume, and an address when the resume has none (or to override it). */
export interface EmailRecipient {
  resumeId: string;
  to?: string;
  name?: string;
}

export interface EmailPreview {
  to: string;
  subject: string;
  text: string;
}

export interface QueueEmailsResponse {
  results: {
    index: number;
    resumeId: string;
    outcome: 'queued' | 'existing' | 'rejected';
    emailId?: string;
    status?: string;
    error?: { field: string; message: string };
  }[];
  counts: { queued: number; existing: number; rejected: number };
}

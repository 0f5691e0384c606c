import { z } from 'zod';
import { Id } from './domain';

/**
 * Queue names. FROZEN: renaming a queue strands every job already waiting in Redis under the old
 * name. Add new queues; never rename or reuse these.
 */
export const QueueNames = Object.freeze({
  resumeAnalysis: 'resume-analysis',
  emailDelivery: 'email-delivery',
} as const);

export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

/** Options every producer applies to a job of a given name (BullMQ `JobsOptions` subset). */
export interface DefaultJobOptions {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number; jitter?: number };
  removeOnComplete: { age: number; count: number };
  removeOnFail: { age: number; count: number };
  priority?: number;
}

const DAY = 24 * 3600;

export const AnalyseResumePayload = z.object({
  userId: Id,
  resumeId: Id,
  jobId: Id,
  batchId: Id,
  /** Job version to score against; a newer version re-scores, an older one is skipped. */
  jobVersion: z.number().int().min(1),
  /** Carried from the HTTP request into worker logs. */
  requestId: z.string().max(128).optional(),
  /** Economy mode: score through the provider's Batch API (half price, results when ready). */
  economy: z.boolean().optional(),
  /** Asked for by a re-analysis: call the scorer even on a cache hit and replace the cached answer. */
  force: z.boolean().optional(),
});
export type AnalyseResumePayload = z.infer<typeof AnalyseResumePayload>;

export const SendEmailPayload = z.object({
  userId: Id,
  emailId: Id,
  requestId: z.string().max(128).optional(),
});
export type SendEmailPayload = z.infer<typeof SendEmailPayload>;

/**
 * Deletes what the mail transport kept of a message whose content was erased (right to erasure,
 * retention, job deleted): the outbox transport's `<message-id>.eml` copy. The Message-ID rides in
 * the payload because a deleted job's email rows are gone by the time the job runs.
 */
export const ForgetEmailPayload = z.object({
  userId: Id,
  emailId: Id,
  /** The stored Message-ID (`<id@domain>`) the transport named its copy after. */
  messageId: z.string().min(3).max(998),
});
export type ForgetEmailPayload = z.infer<typeof ForgetEmailPayload>;

/**
 * Every job the system runs: queue -> job name -> payload schema and default options.
 * Producers and workers are typed from this one table.
 */
export const JobCatalog = {
  'resume-analysis': {
    'analyse-resume': {
      payload: AnalyseResumePayload,
      options: {
        attempts: 6,
        backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
        removeOnComplete: { age: DAY, count: 50_000 },
        removeOnFail: { age: 7 * DAY, count: 50_000 },
      },
    },
  },
  'email-delivery': {
    'send-email': {
      payload: SendEmailPayload,
      options: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
        removeOnComplete: { age: DAY, count: 50_000 },
        removeOnFail: { age: 14 * DAY, count: 50_000 },
      },
    },
    'forget-email': {
      payload: ForgetEmailPayload,
      options: {
        // After every waiting send (priorities 1-6): a retention sweep's thousands of these must
        // not hold up candidates' emails, nor spend the SMTP rate limit ahead of them.
        priority: 10,
        attempts: 8,
        backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
        removeOnComplete: { age: DAY, count: 50_000 },
        removeOnFail: { age: 14 * DAY, count: 50_000 },
      },
    },
  },
} as const satisfies Record<
  QueueName,
  Record<string, { payload: z.ZodType; options: DefaultJobOptions }>
>;

export type JobNameOf<Q extends QueueName> = keyof (typeof JobCatalog)[Q] & string;
export type PayloadOf<Q extends QueueName, N extends JobNameOf<Q>> = z.infer<
  (typeof JobCatalog)[Q][N] extends { payload: infer S extends z.ZodType } ? S : never
>;

/** Job names of a queue, for start-up checks that every job has a processor. */
export function jobNamesOf<Q extends QueueName>(queue: Q): JobNameOf<Q>[] {
  return Object.keys(JobCatalog[queue]) as JobNameOf<Q>[];
}

/** Deterministic BullMQ job id for a resume at a job version: re-adding the same pair is a no-op. */
export function analysisJobId(resumeId: string, jobVersion: number): string {
  return `${resumeId}-v${jobVersion}`;
}

/** Redis pub/sub channel carrying progress events for one batch. */
export function batchEventsChannel(prefix: string, batchId: string): string {
  return `${prefix}:events:batch:${batchId}`;
}

export const ProgressEvent = z.object({
  type: z.enum([
    'resume.processing',
    'resume.done',
    'resume.failed',
    'resume.duplicate',
    /** A done resume re-scored for a newer job version; batch counters do not change. */
    'resume.rescored',
    'batch.finished',
  ]),
  batchId: Id,
  resumeId: Id.optional(),
  score: z.number().nullable().optional(),
  tier: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  at: z.string(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

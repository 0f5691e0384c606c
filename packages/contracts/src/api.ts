import { z } from 'zod';
import { Criterion, TierThresholds } from './domain';

/** `POST /v1/jobs` body. Criteria are optional: when absent they are derived from the description. */
export const CreateJobBody = z.object({
  title: z.string().trim().min(1, 'title is required').max(200),
  description: z
    .string()
    .trim()
    .min(20, 'description must be at least 20 characters: describe the role')
    .max(50_000),
  criteria: z.array(Criterion).max(50).optional(),
  thresholds: TierThresholds.optional(),
  blind: z.boolean().optional(),
});
export type CreateJobBody = z.infer<typeof CreateJobBody>;

/** `PATCH /v1/jobs/:id` body: any subset; changing scoring inputs bumps the job version. */
export const UpdateJobBody = CreateJobBody.partial().refine((b) => Object.keys(b).length > 0, {
  message: 'send at least one field to change',
});
export type UpdateJobBody = z.infer<typeof UpdateJobBody>;

/** Query of list endpoints: opaque cursor, clamped limit. */
export const PageQuery = z.object({
  cursor: z.string().max(2_000).optional(),
  limit: z.coerce.number().int().min(1).optional(),
});

export const ResumeSort = z.enum(['score', 'uploadedAt']);

export const ListResumesQuery = PageQuery.extend({
  tier: z.enum(['shortlist', 'maybe', 'reject']).optional(),
  status: z.enum(['queued', 'processing', 'done', 'failed', 'duplicate']).optional(),
  minScore: z.coerce.number().min(0).max(100).optional(),
  batchId: z.string().max(64).optional(),
  sort: ResumeSort.default('score'),
});
export type ListResumesQuery = z.infer<typeof ListResumesQuery>;

/** A page of results; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** JSON alternative to multipart uploads, for API users who already have the text. */
export const TextBatchBody = z.object({
  resumes: z
    .array(
      z.object({
        fileName: z.string().trim().min(1).max(255),
        text: z.string().min(1, 'text must not be empty').max(500_000),
      }),
    )
    .min(1, 'send at least one resume')
    .max(1_000),
});
export type TextBatchBody = z.infer<typeof TextBatchBody>;

/**
 * Query of an upload. `economy=true` scores the batch through the provider's Batch API: half the
 * price, results within hours instead of seconds (workers without an OpenAI scorer score it as
 * usual).
 */
export const UploadQuery = z.object({
  economy: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});
export type UploadQuery = z.infer<typeof UploadQuery>;

import {
  ApiKey,
  AuditRecord,
  Batch,
  CancelEmailsBody,
  CompanyProfile,
  CompanyProfileBody,
  CreateJobBody,
  EmailMessage,
  EmailOptOut,
  Job,
  ListEmailsQuery,
  OptOutBody,
  PageQuery,
  UploadQuery,
  PreviewEmailBody,
  QueueEmailsBody,
  Resume,
  ResumeStatus,
  Tier,
  UpdateJobBody,
  User,
} from '@shortlist/contracts';
import { z } from 'zod';
import { CreateKeyBody, CreateUserBody } from '../routes/admin.routes';
import { ReanalyzeBody, ResultsQuery } from '../routes/resumes.routes';
import { StatsQuery } from '../routes/stats.routes';

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const PublicApiKey = ApiKey.omit({ hash: true });

export const BatchWithProgress = Batch.extend({
  progress: z.object({
    state: z.enum(['running', 'finished']),
    finished: z.number().int(),
    remaining: z.number().int(),
    percent: z.number(),
    resumesPerMinute: z.number(),
    etaSeconds: z.number().int().nullable(),
  }),
});

const FileOutcome = z.object({
  fileName: z.string(),
  status: z.enum(['queued', 'duplicate', 'rejected']),
  resumeId: z.string().nullable(),
  duplicateOf: z.string().optional(),
  reason: z.string().optional(),
});

const Stats = z.object({
  total: z.number().int(),
  byStatus: z.record(ResumeStatus, z.number().int()),
  byTier: z.record(Tier, z.number().int()),
  scoreHistogram: z.array(z.number().int()).length(10),
  costUsd: z.number(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  /** Processing throughput from batch counters (not a per-minute series). */
  processing: z.object({
    batches: z.number().int(),
    analysed: z.number().int(),
    busySeconds: z.number().int(),
    resumesPerMinute: z.number(),
  }),
  /** Resumes finished per minute over the last `minutes` (null while Redis is unavailable). */
  throughput: z
    .object({
      minutes: z.number().int(),
      points: z.array(
        z.object({
          minute: z.string(),
          done: z.number().int(),
          failed: z.number().int(),
          cached: z.number().int(),
          costUsd: z.number(),
        }),
      ),
      done: z.number().int(),
      failed: z.number().int(),
      /** Share of `done` answered from the analysis cache; null when none finished. */
      cacheHitRate: z.number().nullable(),
    })
    .nullable(),
});

const LimitReport = z.object({
  name: z.string(),
  scope: z.enum(['ip', 'key', 'tenant']),
  limit: z.number().int(),
  remaining: z.number().int(),
  windowSeconds: z.number().int(),
  resetAt: z.string().nullable(),
});

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()),
});

const EmailQueued = z.object({
  results: z.array(z.record(z.string(), z.unknown())),
  counts: z.object({ queued: z.number(), existing: z.number(), rejected: z.number() }),
  /** With `personalise: true`: personal notes written now, served from the cache, or failed (sent without one). */
  personalisation: z
    .object({ written: z.number(), cached: z.number(), failed: z.number() })
    .optional(),
});

type Json = { schema: z.ZodType; contentType?: string; optional?: boolean };

export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path (`/v1/jobs/:jobId`). */
  path: string;
  summary: string;
  tag: string;
  /** `none` for operations endpoints; `admin` routes answer 403 to members. */
  auth: 'none' | 'user' | 'admin';
  query?: z.ZodObject;
  body?: Json | 'multipart';
  /** Status -> description and body. */
  responses: Record<number, { description: string; body?: Json }>;
}

const json = (schema: z.ZodType): Json => ({ schema });
const ok = (description: string, schema?: z.ZodType) => ({
  200: { description, ...(schema ? { body: json(schema) } : {}) },
});

/**
 * Every route of the API with its zod schemas: the OpenAPI document is generated from this list,
 * and a test checks that every route the app serves is in it.
 */
export const API_ROUTES: ApiRoute[] = [
  // Operations
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    tag: 'operations',
    auth: 'none',
    responses: ok('The process runs', Health),
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis, store and blob store answer',
    tag: 'operations',
    auth: 'none',
    responses: {
      ...ok('Ready', Health),
      503: { description: 'Not ready (dependency down or draining)', body: json(Health) },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tag: 'operations',
    auth: 'none',
    responses: {
      200: {
        description: 'Metrics in the Prometheus text format',
        body: { schema: z.string(), contentType: 'text/plain' },
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'operations',
    auth: 'none',
    responses: ok('OpenAPI 3.1 document'),
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'Browsable API reference (HTML)',
    tag: 'operations',
    auth: 'none',
    responses: {
      200: { description: 'HTML page', body: { schema: z.string(), contentType: 'text/html' } },
    },
  },
  // Account
  {
    method: 'get',
    path: '/v1/me',
    summary: 'The caller: user id, role, credential',
    tag: 'account',
    auth: 'user',
    responses: ok(
      'The caller',
      z.object({
        userId: z.string(),
        role: z.enum(['member', 'admin']),
        keyId: z.string().nullable(),
        via: z.enum(['apikey', 'firebase']),
      }),
    ),
  },
  {
    method: 'get',
    path: '/v1/rate-limit',
    summary: 'The caller’s rate limits and hourly resume quota, with what remains',
    tag: 'account',
    auth: 'user',
    responses: ok('Limits', z.object({ limits: z.array(LimitReport) })),
  },
  // Jobs
  {
    method: 'post',
    path: '/v1/jobs',
    summary: 'Create a job',
    tag: 'jobs',
    auth: 'user',
    body: json(CreateJobBody),
    responses: { 201: { description: 'Created', body: json(Job) } },
  },
  {
    method: 'get',
    path: '/v1/jobs',
    summary: 'List jobs, newest first',
    tag: 'jobs',
    auth: 'user',
    query: PageQuery,
    responses: ok('A page of jobs', page(Job)),
  },
  {
    method: 'get',
    path: '/v1/jobs/:jobId',
    summary: 'Read a job',
    tag: 'jobs',
    auth: 'user',
    responses: ok('The job', Job),
  },
  {
    method: 'patch',
    path: '/v1/jobs/:jobId',
    summary:
      'Edit a job; a change to scoring inputs bumps its version and queues re-scoring of its analysed resumes (header X-Rescoring-Queued)',
    tag: 'jobs',
    auth: 'user',
    body: json(UpdateJobBody),
    responses: ok('The job after the change', Job),
  },
  {
    method: 'delete',
    path: '/v1/jobs/:jobId',
    summary:
      'Delete a job with its batches, resumes, files and emails (queued ones cancelled, outbox copies deleted by the email worker)',
    tag: 'jobs',
    auth: 'user',
    responses: {
      204: { description: 'Deleted' },
      503: {
        description: 'The job has emails and the email queue is unavailable: nothing deleted',
      },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/:jobId/stats',
    summary:
      'Job statistics: counts per status and tier, score histogram, tokens, cost, throughput per minute and cache hit rate',
    tag: 'stats',
    auth: 'user',
    query: StatsQuery,
    responses: ok('Aggregates', Stats),
  },
  {
    method: 'get',
    path: '/v1/stats',
    summary: 'Tenant statistics over every job',
    tag: 'stats',
    auth: 'user',
    query: StatsQuery,
    responses: ok('Aggregates', Stats),
  },
  // Audit
  {
    method: 'get',
    path: '/v1/audit',
    summary:
      'Audit trail of erasures (on request, job deletions, retention): ids and counts, no personal data',
    tag: 'account',
    auth: 'user',
    query: PageQuery,
    responses: ok('A page of audit records, newest first', page(AuditRecord)),
  },
  // Batches
  {
    method: 'post',
    path: '/v1/jobs/:jobId/batches',
    summary: 'Upload resumes (multipart "files" parts, or JSON texts); 202 before any analysis',
    tag: 'batches',
    auth: 'user',
    query: UploadQuery,
    body: 'multipart',
    responses: {
      202: {
        description: 'Accepted: the batch and each file’s outcome',
        body: json(z.object({ batch: Batch, files: z.array(FileOutcome) })),
      },
      413: {
        description:
          'A file, the file count or the total size is over the limit (checked while streaming)',
      },
      415: { description: 'No file can be read as a resume' },
      429: {
        description:
          'Rate limit, or the hourly resume quota would be exceeded (the problem names `remaining`)',
      },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/:jobId/batches',
    summary: 'List a job’s batches',
    tag: 'batches',
    auth: 'user',
    query: PageQuery,
    responses: ok('A page of batches', page(BatchWithProgress)),
  },
  {
    method: 'get',
    path: '/v1/batches/:batchId',
    summary: 'Batch progress: counts by status, percent, rate and ETA',
    tag: 'batches',
    auth: 'user',
    responses: ok('The batch', BatchWithProgress),
  },
  {
    method: 'get',
    path: '/v1/batches/:batchId/events',
    summary: 'Live progress as Server-Sent Events; send Last-Event-ID to resume without gaps',
    tag: 'batches',
    auth: 'user',
    responses: {
      200: {
        description:
          'text/event-stream of JSON events (`snapshot`, `resume.*`, `batch.finished`), each with an id',
        body: { schema: z.string(), contentType: 'text/event-stream' },
      },
      204: { description: 'The batch finished and nothing follows Last-Event-ID' },
    },
  },
  // Results
  {
    method: 'get',
    path: '/v1/jobs/:jobId/resumes',
    summary: 'Ranked results with filters and cursor pages',
    tag: 'results',
    auth: 'user',
    query: ResultsQuery,
    responses: ok('A page of resumes', page(Resume)),
  },
  {
    method: 'get',
    path: '/v1/jobs/:jobId/resumes.csv',
    summary: 'The ranked list as CSV (formula-safe cells); same filters as the list',
    tag: 'results',
    auth: 'user',
    query: ResultsQuery,
    responses: {
      200: { description: 'CSV file', body: { schema: z.string(), contentType: 'text/csv' } },
    },
  },
  {
    method: 'get',
    path: '/v1/resumes/:resumeId',
    summary: 'One resume with its analysis',
    tag: 'results',
    auth: 'user',
    responses: ok('The resume', Resume),
  },
  {
    method: 'get',
    path: '/v1/resumes/:resumeId/file',
    summary: 'Download the original file',
    tag: 'results',
    auth: 'user',
    responses: {
      200: {
        description: 'The file as uploaded',
        body: { schema: z.string(), contentType: 'application/octet-stream' },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/resumes/:resumeId/text',
    summary:
      'The text extracted from the file (what the scorer read and the evidence quotes come from)',
    tag: 'results',
    auth: 'user',
    responses: {
      200: {
        description: 'UTF-8 plain text; ETag for conditional GETs',
        body: { schema: z.string(), contentType: 'text/plain' },
      },
      404: { description: 'No such resume, or not analysed yet (no text extracted)' },
    },
  },
  {
    method: 'delete',
    path: '/v1/resumes/:resumeId',
    summary:
      'Erase a resume: record, file, cached analyses, its emails’ content (queued ones cancelled, outbox copies deleted by the email worker)',
    tag: 'results',
    auth: 'user',
    responses: {
      204: { description: 'Erased' },
      503: {
        description: 'The resume has emails and the email queue is unavailable: nothing erased',
      },
    },
  },
  {
    method: 'post',
    path: '/v1/resumes/:resumeId/reanalyze',
    summary:
      'Analyse again at the job’s current version; `force: true` calls the scorer even on a cache hit and replaces the cached analysis',
    tag: 'results',
    auth: 'user',
    body: { schema: ReanalyzeBody, optional: true },
    responses: {
      202: { description: 'Queued', body: json(Resume) },
      409: { description: 'Already queued or processing, or a duplicate' },
    },
  },
  // Emails (the email-worker issue)
  {
    method: 'post',
    path: '/v1/emails',
    summary: 'Queue invitation, rejection or custom emails',
    tag: 'emails',
    auth: 'user',
    body: json(QueueEmailsBody),
    responses: { 202: { description: 'Per-recipient outcome', body: json(EmailQueued) } },
  },
  {
    method: 'post',
    path: '/v1/emails/preview',
    summary: 'Render an email without sending it',
    tag: 'emails',
    auth: 'user',
    body: json(PreviewEmailBody),
    responses: ok('The rendered email'),
  },
  {
    method: 'get',
    path: '/v1/emails',
    summary: 'List emails',
    tag: 'emails',
    auth: 'user',
    query: ListEmailsQuery,
    responses: ok('A page of emails', page(EmailMessage)),
  },
  {
    method: 'get',
    path: '/v1/jobs/:jobId/emails',
    summary: 'List a job’s emails',
    tag: 'emails',
    auth: 'user',
    query: ListEmailsQuery,
    responses: ok('A page of emails', page(EmailMessage)),
  },
  {
    method: 'get',
    path: '/v1/resumes/:resumeId/emails',
    summary: 'List a resume’s emails',
    tag: 'emails',
    auth: 'user',
    query: ListEmailsQuery,
    responses: ok('A page of emails', page(EmailMessage)),
  },
  {
    method: 'get',
    path: '/v1/emails/:emailId',
    summary: 'Read an email and its delivery status',
    tag: 'emails',
    auth: 'user',
    responses: ok('The email', EmailMessage),
  },
  {
    method: 'post',
    path: '/v1/emails/:emailId/cancel',
    summary: 'Cancel a queued email',
    tag: 'emails',
    auth: 'user',
    responses: ok('The cancelled email', EmailMessage),
  },
  {
    method: 'post',
    path: '/v1/emails/cancel',
    summary: 'Cancel queued emails by id or job',
    tag: 'emails',
    auth: 'user',
    body: json(CancelEmailsBody),
    responses: ok('How many were cancelled'),
  },
  {
    method: 'get',
    path: '/v1/email-settings',
    summary: 'Sender details used in emails',
    tag: 'emails',
    auth: 'user',
    responses: ok('Settings', CompanyProfile),
  },
  {
    method: 'put',
    path: '/v1/email-settings',
    summary: 'Change sender details',
    tag: 'emails',
    auth: 'user',
    body: json(CompanyProfileBody),
    responses: ok('Settings', CompanyProfile),
  },
  {
    method: 'get',
    path: '/v1/opt-outs',
    summary: 'Addresses that opted out',
    tag: 'emails',
    auth: 'user',
    query: PageQuery,
    responses: ok('A page of opt-outs', page(EmailOptOut)),
  },
  {
    method: 'post',
    path: '/v1/opt-outs',
    summary: 'Add opted-out addresses',
    tag: 'emails',
    auth: 'user',
    body: json(OptOutBody),
    responses: ok('Per-address outcome'),
  },
  {
    method: 'delete',
    path: '/v1/opt-outs/:address',
    summary: 'Remove an address from the opt-out list',
    tag: 'emails',
    auth: 'user',
    responses: { 204: { description: 'Removed' } },
  },
  {
    method: 'get',
    path: '/v1/unsubscribe/:token',
    summary: "A candidate's unsubscribe link: a confirmation page (HTML, changes nothing)",
    tag: 'emails',
    auth: 'none',
    responses: {
      200: { description: 'HTML page', body: { schema: z.string(), contentType: 'text/html' } },
      404: { description: 'Not a valid link (HTML page)' },
    },
  },
  {
    method: 'post',
    path: '/v1/unsubscribe/:token',
    summary: 'Unsubscribe (the confirmation button, or a mail client one-click POST, RFC 8058)',
    tag: 'emails',
    auth: 'none',
    responses: {
      200: { description: 'HTML page', body: { schema: z.string(), contentType: 'text/html' } },
      404: { description: 'Not a valid link (HTML page)' },
    },
  },
  // Administration
  {
    method: 'post',
    path: '/v1/admin/users',
    summary: 'Create a user with one API key (shown once)',
    tag: 'admin',
    auth: 'admin',
    body: json(CreateUserBody),
    responses: {
      201: { description: 'Created', body: json(z.object({ user: User, apiKey: z.string() })) },
    },
  },
  {
    method: 'get',
    path: '/v1/admin/users/:userId/keys',
    summary: 'List a user’s API keys (never the keys themselves)',
    tag: 'admin',
    auth: 'admin',
    responses: ok('Keys', z.object({ items: z.array(PublicApiKey) })),
  },
  {
    method: 'post',
    path: '/v1/admin/users/:userId/keys',
    summary: 'Issue another API key (shown once)',
    tag: 'admin',
    auth: 'admin',
    body: json(CreateKeyBody),
    responses: {
      201: {
        description: 'Issued',
        body: json(z.object({ apiKey: z.string(), key: PublicApiKey })),
      },
    },
  },
  {
    method: 'post',
    path: '/v1/admin/users/:userId/keys/:keyId/rotate',
    summary: 'Replace a key: a new one is issued, the old one revoked',
    tag: 'admin',
    auth: 'admin',
    responses: ok(
      'The new key',
      z.object({ apiKey: z.string(), key: PublicApiKey, revoked: PublicApiKey }),
    ),
  },
  {
    method: 'delete',
    path: '/v1/admin/users/:userId/keys/:keyId',
    summary: 'Revoke a key',
    tag: 'admin',
    auth: 'admin',
    responses: { 204: { description: 'Revoked' } },
  },
  {
    method: 'get',
    path: '/v1/cache/stats',
    summary: 'Cache hits, misses, shared computations, evictions, bytes per namespace',
    tag: 'admin',
    auth: 'admin',
    responses: ok(
      'Per-namespace counters',
      z.object({ namespaces: z.record(z.string(), z.record(z.string(), z.number())) }),
    ),
  },
  {
    method: 'post',
    path: '/v1/cache/invalidate',
    summary: 'Drop cached analyses of one job (its owner), a prompt version or everything (admins)',
    tag: 'results',
    auth: 'user',
    body: json(
      z.discriminatedUnion('scope', [
        z.object({ scope: z.literal('job'), jobId: z.string() }),
        z.object({ scope: z.literal('promptVersion'), promptVersion: z.string() }),
        z.object({ scope: z.literal('all') }),
      ]),
    ),
    responses: ok(
      'How many entries were deleted',
      z.object({ scope: z.string(), deleted: z.number().int() }),
    ),
  },
  {
    method: 'get',
    path: '/v1/queues',
    summary: 'Job counts per queue and state',
    tag: 'admin',
    auth: 'admin',
    responses: ok('Depths', z.record(z.string(), z.record(z.string(), z.number().int()))),
  },
];

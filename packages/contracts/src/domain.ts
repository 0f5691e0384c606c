import { z } from 'zod';

/** Opaque identifiers are url-safe strings; we never parse meaning out of them. */
export const Id = z.string().min(1).max(64);

/** ISO-8601 timestamps as strings, so records survive JSON, SQLite and Firestore unchanged. */
export const Timestamp = z.string().datetime({ offset: true });

export const Role = z.enum(['member', 'admin']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  role: Role,
  /** Firebase uid when the user signs in through Firebase Auth. */
  firebaseUid: z.string().nullable().default(null),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const ApiKey = z.object({
  id: Id,
  userId: Id,
  /** First characters of the key, shown to humans so they can tell keys apart. */
  prefix: z.string(),
  /** sha256 of the whole key; the key itself is never stored. */
  hash: z.string(),
  label: z.string().max(200).default(''),
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable().default(null),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const Criterion = z.object({
  name: z.string().trim().min(1).max(200),
  /** Relative importance; the score is the weight-normalised sum of verdicts. */
  weight: z.number().min(0).max(10).default(1),
  /** A required criterion that is not met keeps the candidate out of the `shortlist` tier. */
  required: z.boolean().default(false),
});
export type Criterion = z.infer<typeof Criterion>;

export const Tier = z.enum(['shortlist', 'maybe', 'reject']);
export type Tier = z.infer<typeof Tier>;

/** Scores at or above `shortlist` are shortlisted, at or above `maybe` are maybes, the rest rejected. */
export const TierThresholds = z
  .object({
    shortlist: z.number().min(0).max(100).default(70),
    maybe: z.number().min(0).max(100).default(45),
  })
  .refine((t) => t.maybe <= t.shortlist, {
    message: 'maybe threshold must not exceed the shortlist threshold',
    path: ['maybe'],
  });
export type TierThresholds = z.infer<typeof TierThresholds>;

export const DEFAULT_THRESHOLDS: TierThresholds = { shortlist: 70, maybe: 45 };

export const Job = z.object({
  id: Id,
  userId: Id,
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(50_000),
  criteria: z.array(Criterion).max(50),
  /** True when the criteria were derived from the description rather than written by the recruiter. */
  criteriaDerived: z.boolean().default(false),
  /**
   * The same tenant's earlier job whose criteria, extracted from a near-identical description,
   * were reused (no model call) when this job's criteria were last derived. Absent when they were
   * extracted for this job or written by the recruiter.
   */
  criteriaReusedFrom: Id.optional(),
  thresholds: TierThresholds,
  /** Blind mode: personal identifiers are redacted before scoring and hidden in the first pass. */
  blind: z.boolean().default(false),
  /** Bumped whenever description, criteria, thresholds or blind mode change; cached analyses are keyed by it. */
  version: z.number().int().min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Job = z.infer<typeof Job>;

export const BatchCounts = z.object({
  total: z.number().int().min(0),
  queued: z.number().int().min(0),
  processing: z.number().int().min(0),
  done: z.number().int().min(0),
  failed: z.number().int().min(0),
  duplicate: z.number().int().min(0),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

export const Batch = z.object({
  id: Id,
  userId: Id,
  jobId: Id,
  counts: BatchCounts,
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Batch = z.infer<typeof Batch>;

export const ResumeStatus = z.enum(['queued', 'processing', 'done', 'failed', 'duplicate']);
export type ResumeStatus = z.infer<typeof ResumeStatus>;

/** Final states: a resume in one of these is never processed again for the same job version. */
export const FINAL_RESUME_STATUSES: readonly ResumeStatus[] = ['done', 'failed', 'duplicate'];

export const WarningCode = z.enum([
  'unreadable',
  'empty',
  'garbled',
  'truncated',
  'encrypted',
  'duplicate',
  'hidden_text',
  'prompt_injection',
  'low_confidence',
]);
export type WarningCode = z.infer<typeof WarningCode>;

export const ResumeWarning = z.object({
  code: WarningCode,
  /** A sentence the recruiter can read. */
  message: z.string(),
  /** The offending text, when there is one (hidden text, injected instruction). */
  snippet: z.string().max(500).nullable().default(null),
});
export type ResumeWarning = z.infer<typeof ResumeWarning>;

export const Met = z.enum(['yes', 'partial', 'no']);
export type Met = z.infer<typeof Met>;

export const CriterionVerdict = z.object({
  name: z.string(),
  weight: z.number(),
  required: z.boolean(),
  met: Met,
  /** A quote from the resume supporting the verdict, or null when nothing supports it. */
  evidence: z.string().max(500).nullable(),
  /**
   * Graded credit 0-1 behind `met` when the scorer measures more finely than yes/partial/no
   * (the local scorer does); the score uses it instead of the fixed credit of `met`.
   */
  credit: z.number().min(0).max(1).optional(),
});
export type CriterionVerdict = z.infer<typeof CriterionVerdict>;

export const Analysis = z.object({
  score: z.number().min(0).max(100),
  tier: Tier,
  criteria: z.array(CriterionVerdict),
  yearsExperience: z.number().min(0).max(80).nullable(),
  summary: z.string(),
  warnings: z.array(ResumeWarning),
  model: z.string(),
  promptVersion: z.string(),
  tokensIn: z.number().int().min(0),
  tokensOut: z.number().int().min(0),
  costUsd: z.number().min(0),
  cached: z.boolean(),
  durationMs: z.number().min(0),
  /** LLM consensus mode: the scores of the k runs (the median is `score`) and their spread. */
  consensus: z
    .object({
      runs: z.number().int().min(1),
      scores: z.array(z.number()),
      spread: z.number().min(0),
    })
    .nullable()
    .optional(),
  /** True when personal identifiers were redacted before scoring (blind mode). */
  blind: z.boolean().optional(),
});
export type Analysis = z.infer<typeof Analysis>;

export const Candidate = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  links: z.array(z.string()),
});
export type Candidate = z.infer<typeof Candidate>;

export const EMPTY_CANDIDATE: Candidate = { name: null, email: null, phone: null, links: [] };

export const Resume = z.object({
  id: Id,
  userId: Id,
  jobId: Id,
  batchId: Id,
  fileName: z.string().max(255),
  blobKey: z.string(),
  sha256: z.string().length(64),
  size: z.number().int().min(0),
  mime: z.string(),
  uploadedAt: Timestamp,
  status: ResumeStatus,
  /** Why the resume failed, in words the recruiter can act on. */
  error: z.string().nullable(),
  /** The resume this one duplicates (same content in the same job). */
  duplicateOf: Id.nullable(),
  /** Job version the stored analysis was computed against. */
  jobVersion: z.number().int().min(0),
  textChars: z.number().int().min(0).nullable(),
  candidate: Candidate,
  analysis: Analysis.nullable(),
  /** Denormalised from analysis for indexing and sorting; null until scored. */
  score: z.number().nullable(),
  tier: Tier.nullable(),
  warnings: z.array(ResumeWarning),
  updatedAt: Timestamp,
});
export type Resume = z.infer<typeof Resume>;

/**
 * The blob key of the text the worker extracted from a resume's file: beside the file, so it is
 * per tenant like the file and erased with it.
 */
export function resumeTextKey(blobKey: string): string {
  return `${blobKey}.text`;
}

export const EmailKind = z.enum(['invite', 'reject', 'custom']);
export type EmailKind = z.infer<typeof EmailKind>;

export const EmailStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']);
export type EmailStatus = z.infer<typeof EmailStatus>;

export const EmailMessage = z.object({
  id: Id,
  userId: Id,
  resumeId: Id,
  jobId: Id,
  kind: EmailKind,
  priority: z.number().int().min(1),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  status: EmailStatus,
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  /** SMTP Message-ID header we generated; used to reconcile a crash between accept and status write. */
  messageId: z.string().nullable(),
  /** (resumeId, kind, jobVersion): one message per key, ever. */
  idempotencyKey: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Timestamp.nullable(),
  /** Display name of the sender (the tenant's company), rendered once at queue time. */
  fromName: z.string().nullable().optional(),
  /** Where candidates' replies go (the tenant's reply-to address). */
  replyTo: z.string().nullable().optional(),
  /**
   * Set just before the last byte of the message is released to the SMTP server and cleared when
   * the attempt's outcome is recorded. Still set on a `sending` message means the worker stopped
   * after handing the message over: it is reconciled, never sent again.
   */
  handedOffAt: Timestamp.nullable().optional(),
  /** Public one-click unsubscribe link (footer and `List-Unsubscribe` header), set at queue time. */
  unsubscribeUrl: z.string().nullable().optional(),
});
export type EmailMessage = z.infer<typeof EmailMessage>;

/** Per-tenant sender details used by email templates. */
export const CompanyProfile = z.object({
  userId: Id,
  /** Company name shown in templates and as the sender's display name. */
  name: z.string().min(1).max(200),
  /** Recruiter signature appended by templates (`{{recruiterSignature}}`). */
  signature: z.string().max(2_000),
  /** Reply-To address for candidate emails; null sends replies to the From address. */
  replyTo: z.string().max(254).nullable(),
  /** Default scheduling link for invitations; a request may override it. */
  schedulingLink: z.string().max(2_000).nullable(),
  updatedAt: Timestamp,
});
export type CompanyProfile = z.infer<typeof CompanyProfile>;

/** An address that asked not to be emailed by one tenant again. */
export const EmailOptOut = z.object({
  userId: Id,
  /** Lower-cased address. */
  address: z.string().max(254),
  reason: z.string().max(500).nullable(),
  createdAt: Timestamp,
});
export type EmailOptOut = z.infer<typeof EmailOptOut>;

/** What an audit record reports: an erasure on request, a job deletion, or a retention sweep. */
export const AuditAction = z.enum(['resume.erased', 'job.deleted', 'retention.swept']);
export type AuditAction = z.infer<typeof AuditAction>;

/** At most this many subject ids are kept in one record; `counts` stay exact beyond it. */
export const MAX_AUDIT_SUBJECT_IDS = 500;

/**
 * Proof that personal data was erased, kept by the tenant's store. It holds opaque ids and
 * counts only: never a name, email address, phone number, file name or text, so the record
 * itself can be kept after the data it describes is gone.
 */
export const AuditRecord = z.object({
  id: Id,
  userId: Id,
  action: AuditAction,
  /** Who asked: an API key (by id), a Firebase session, or the retention schedule. */
  actor: z.object({
    type: z.enum(['apikey', 'firebase', 'system']),
    keyId: Id.nullable(),
  }),
  /** The job a `job.deleted` removed; null otherwise. */
  targetId: Id.nullable(),
  /** Ids of the erased resumes (opaque; the first {@link MAX_AUDIT_SUBJECT_IDS}). */
  subjectIds: z.array(Id).max(MAX_AUDIT_SUBJECT_IDS),
  counts: z.object({
    /** Resume rows deleted. */
    resumes: z.number().int().min(0),
    /** Email rows whose content and recipient were erased (the rows stay for delivery status). */
    emails: z.number().int().min(0),
    /** Files deleted from the blob store (originals and extracted text). */
    blobs: z.number().int().min(0),
    /** Files whose delete failed: orphans for the operator to sweep. */
    orphanedBlobs: z.number().int().min(0),
  }),
  /** The retention period applied, for `retention.swept`; null otherwise. */
  retentionDays: z.number().int().min(0).nullable(),
  createdAt: Timestamp,
});
export type AuditRecord = z.infer<typeof AuditRecord>;

import type {
  ApiKey,
  AuditRecord,
  Batch,
  CompanyProfile,
  EmailMessage,
  EmailOptOut,
  EmailStatus,
  Job,
  Page,
  Resume,
  ResumeStatus,
  Tier,
  User,
} from '@shortlist/contracts';

/** Maximum page size; larger requested limits are clamped to it. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export interface PageRequest {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface ResumeFilter {
  jobId?: string | undefined;
  batchId?: string | undefined;
  tier?: Tier | undefined;
  status?: ResumeStatus | undefined;
  minScore?: number | undefined;
  /** true: only resumes with at least one warning; false: only resumes without. */
  hasWarnings?: boolean | undefined;
}

/**
 * `score`: best first (unscored last), ties by id. `uploadedAt`: newest first, then best score,
 * then id. The id tie-break makes every order total, so cursor pages never skip or repeat.
 */
export type ResumeSortKey = 'score' | 'uploadedAt';

export interface ResumeStats {
  total: number;
  byStatus: Record<ResumeStatus, number>;
  byTier: Record<Tier, number>;
  /** Ten buckets of width 10: index 0 holds scores 0-9.99, index 9 holds 90-100. */
  scoreHistogram: number[];
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
}

export type ResumePatch = Partial<
  Pick<
    Resume,
    | 'status'
    | 'error'
    | 'duplicateOf'
    | 'jobVersion'
    | 'textChars'
    | 'candidate'
    | 'analysis'
    | 'score'
    | 'tier'
    | 'warnings'
  >
>;

export type JobPatch = Partial<
  Pick<Job, 'title' | 'description' | 'criteria' | 'criteriaDerived' | 'thresholds' | 'blind'>
> & {
  /** The job whose derived criteria were reused; null clears it (criteria written or re-derived). */
  criteriaReusedFrom?: string | null;
};

export type EmailPatch = Partial<
  Pick<
    EmailMessage,
    | 'to'
    | 'unsubscribeUrl'
    | 'status'
    | 'attempts'
    | 'lastError'
    | 'messageId'
    | 'sentAt'
    | 'subject'
    | 'text'
    | 'html'
    | 'handedOffAt'
  >
>;

export interface UserRepo {
  create(user: User): Promise<User>;
  get(userId: string): Promise<User | null>;
  findByFirebaseUid(uid: string): Promise<User | null>;
  /** Every user id, for maintenance sweeps across tenants (e.g. data retention). */
  listIds(): Promise<string[]>;
}

export interface ApiKeyRepo {
  create(key: ApiKey): Promise<ApiKey>;
  /** Authentication lookup: by hash alone, since the caller is not known yet. Ignores revoked keys. */
  findActiveByHash(hash: string): Promise<ApiKey | null>;
  list(userId: string): Promise<ApiKey[]>;
  revoke(userId: string, keyId: string, at: string): Promise<boolean>;
}

export interface JobRepo {
  create(job: Job): Promise<Job>;
  get(userId: string, jobId: string): Promise<Job | null>;
  /** Newest first. */
  list(userId: string, page: PageRequest): Promise<Page<Job>>;
  /** Applies `patch`; when `bumpVersion` the version increments atomically. Null when not found. */
  update(
    userId: string,
    jobId: string,
    patch: JobPatch,
    bumpVersion: boolean,
    at: string,
  ): Promise<Job | null>;
  /** Deletes the job with its batches, resumes and emails. Returns the blob keys to delete, or null. */
  delete(userId: string, jobId: string): Promise<{ blobKeys: string[] } | null>;
}

export interface BatchRepo {
  create(batch: Batch): Promise<Batch>;
  get(userId: string, batchId: string): Promise<Batch | null>;
  list(
    userId: string,
    filter: { jobId?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Batch>>;
  /** Deletes the batch and its resumes; returns their blob keys, or null when not found. */
  delete(userId: string, batchId: string): Promise<{ blobKeys: string[] } | null>;
}

/** What a resume transition changed: the resume, and its batch with the counters moved along. */
export interface Transitioned {
  resume: Resume;
  /** The batch after the change; null when the batch no longer exists (being deleted). */
  batch: Batch | null;
  /** True for the one change that made the batch final and set its `finishedAt`. */
  batchFinished: boolean;
}

/**
 * Batch counters are derived from resume statuses and kept by the store itself: every write that
 * changes a resume's status (`transition`) or removes a resume (`delete`, `deleteMany`) moves its
 * batch's counters in the same atomic write, and sets the batch's `finishedAt` (once) when every
 * resume is in a final state. So a process killed at any point cannot leave counters that
 * disagree with the rows. `update` and `replaceAnalysis` never change the status.
 */
export interface ResumeRepo {
  createMany(resumes: Resume[]): Promise<void>;
  get(userId: string, resumeId: string): Promise<Resume | null>;
  /** The first non-duplicate resume with this content in the job, if any. */
  findBySha256(userId: string, jobId: string, sha256: string): Promise<Resume | null>;
  list(
    userId: string,
    filter: ResumeFilter,
    sort: ResumeSortKey,
    page: PageRequest,
  ): Promise<Page<Resume>>;
  /**
   * {@link get} as JSON text, exactly what `JSON.stringify` of its result gives: for responses,
   * where SQLite splices in its stored JSON columns instead of parsing them to serialise them again.
   */
  getJson(userId: string, resumeId: string): Promise<string | null>;
  /** {@link list} with each item as JSON text (see {@link getJson}): same items, order and cursors. */
  listJson(
    userId: string,
    filter: ResumeFilter,
    sort: ResumeSortKey,
    page: PageRequest,
  ): Promise<Page<string>>;
  count(userId: string, filter: ResumeFilter): Promise<number>;
  stats(userId: string, filter: ResumeFilter): Promise<ResumeStats>;
  /**
   * Compare-and-set: applies `patch` only while the status is one of `from`, and in the same
   * atomic write moves the batch counters from the old status to the new one. Returns the updated
   * resume with its batch, or null when the resume is missing or in another state (someone else
   * moved it).
   */
  transition(
    userId: string,
    resumeId: string,
    from: ResumeStatus[],
    patch: ResumePatch,
    at: string,
  ): Promise<Transitioned | null>;
  /** Patches fields other than the status (status changes go through `transition`). */
  update(
    userId: string,
    resumeId: string,
    patch: Omit<ResumePatch, 'status'>,
    at: string,
  ): Promise<Resume | null>;
  /**
   * Compare-and-set for re-scoring: replaces the analysis of a `done` resume only while its
   * `jobVersion` is older than `jobVersion`, so a late result for an older version never
   * overwrites a newer one. The status (and so every batch counter) is unchanged. Returns the
   * updated resume, or null when it is missing, not done, or already at this version or newer.
   */
  replaceAnalysis(
    userId: string,
    resumeId: string,
    jobVersion: number,
    patch: Omit<ResumePatch, 'status' | 'jobVersion'>,
    at: string,
  ): Promise<Resume | null>;
  /** Deletes one resume (its batch counts it no more); returns its blob key, or null when not found. */
  delete(userId: string, resumeId: string): Promise<{ blobKey: string } | null>;
  /**
   * Deletes the tenant's resumes among `resumeIds` (others' ids and unknown ids are ignored) and
   * takes them out of their batches' counters; returns the ids deleted and their blob keys.
   */
  deleteMany(
    userId: string,
    resumeIds: string[],
  ): Promise<{ deleted: string[]; blobKeys: string[] }>;
}

export interface EmailFilter {
  jobId?: string | undefined;
  resumeId?: string | undefined;
  status?: EmailStatus | undefined;
}

/** Extra conditions of an email transition: the values the caller last saw. */
export type EmailGuard = Partial<Pick<EmailMessage, 'attempts' | 'handedOffAt'>>;

export interface EmailRepo {
  /** Inserts unless a message with the same idempotency key exists; returns the stored one and whether it is new. */
  createIfAbsent(message: EmailMessage): Promise<{ message: EmailMessage; created: boolean }>;
  /**
   * {@link createIfAbsent} for many messages in one store call (one transaction on SQLite, one
   * read and one batch per 250 on Firestore); results in input order. A key repeated in the input
   * is created once and the repeats resolve to it (`created: false`).
   */
  createManyIfAbsent(
    messages: EmailMessage[],
  ): Promise<{ message: EmailMessage; created: boolean }[]>;
  get(userId: string, emailId: string): Promise<EmailMessage | null>;
  list(userId: string, filter: EmailFilter, page: PageRequest): Promise<Page<EmailMessage>>;
  /**
   * Compare-and-set: applies `patch` only while the status is one of `from` and every field of
   * `guard` still has the given value (`attempts` works as a fencing token between two runs of the
   * same message). Returns the updated message, or null when it is missing or has moved on.
   */
  transition(
    userId: string,
    emailId: string,
    from: EmailStatus[],
    patch: EmailPatch,
    at: string,
    guard?: EmailGuard,
  ): Promise<EmailMessage | null>;
  update(
    userId: string,
    emailId: string,
    patch: EmailPatch,
    at: string,
  ): Promise<EmailMessage | null>;
}

/** Per-tenant sender details for email templates (one record per user). */
export interface CompanyRepo {
  get(userId: string): Promise<CompanyProfile | null>;
  /** Creates or replaces the tenant's profile. */
  put(profile: CompanyProfile): Promise<CompanyProfile>;
}

/** Per-tenant opt-out list; addresses are stored lower-cased. */
export interface OptOutRepo {
  /** Adds the address (idempotent: an existing entry is kept as it was). */
  add(optOut: EmailOptOut): Promise<EmailOptOut>;
  remove(userId: string, address: string): Promise<boolean>;
  /** The subset of `addresses` (lower-cased) that opted out. */
  findMany(userId: string, addresses: string[]): Promise<Set<string>>;
  /** Newest first. */
  list(userId: string, page: PageRequest): Promise<Page<EmailOptOut>>;
}

/** Per-tenant audit trail of erasures; records are append-only and hold no personal data. */
export interface AuditRepo {
  append(record: AuditRecord): Promise<AuditRecord>;
  /** Newest first. */
  list(userId: string, page: PageRequest): Promise<Page<AuditRecord>>;
}

/** All repositories of one backend. Every tenant data method takes `userId` first. */
export interface Store {
  readonly kind: 'sqlite' | 'firestore';
  users: UserRepo;
  apiKeys: ApiKeyRepo;
  jobs: JobRepo;
  batches: BatchRepo;
  resumes: ResumeRepo;
  emails: EmailRepo;
  companies: CompanyRepo;
  optOuts: OptOutRepo;
  audit: AuditRepo;
  /** Resolves when the backend answers; used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

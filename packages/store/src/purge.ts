import { resumeTextKey, type EmailMessage } from '@shortlist/contracts';
import type { Store } from './types';

/** What the purge helpers need of a blob store (the `BlobStore` of @shortlist/blobs fits). */
export interface BlobDeleter {
  delete(key: string): Promise<boolean>;
}

export interface PurgeResult {
  /** Ids of the resumes whose rows were deleted. */
  deleted: string[];
  /** Files deleted (originals and extracted texts that existed). */
  blobsDeleted: number;
  /** Blob keys whose delete failed: the rows are gone, the files are orphans to sweep later. */
  orphanedBlobKeys: string[];
}

/** What deleting a set of files did. */
interface BlobsResult {
  blobsDeleted: number;
  orphanedBlobKeys: string[];
}

/** Blob deletes in flight at once, so a 10,000-resume job does not open 10,000 sockets. */
const BLOB_DELETE_CONCURRENCY = 16;

/** Deletes each resume file and the extracted text stored beside it. */
async function deleteBlobs(blobs: BlobDeleter, fileKeys: string[]): Promise<BlobsResult> {
  const keys = fileKeys.flatMap((key) => [key, resumeTextKey(key)]);
  const orphanedBlobKeys: string[] = [];
  let blobsDeleted = 0;
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await blobs.delete(key).then(
        (existed) => (blobsDeleted += existed ? 1 : 0),
        () => orphanedBlobKeys.push(key),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLOB_DELETE_CONCURRENCY, keys.length) }, worker));
  return { blobsDeleted, orphanedBlobKeys };
}

/**
 * Deletes the tenant's resumes among `resumeIds` and then their files. Rows go first: a reader
 * never finds a resume whose file is missing; a failed file delete leaves an orphan, reported.
 * Other tenants' and unknown ids are ignored.
 */
export async function purgeResumes(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  resumeIds: string[],
): Promise<PurgeResult> {
  const { deleted, blobKeys } = await store.resumes.deleteMany(userId, resumeIds);
  return { deleted, ...(await deleteBlobs(blobs, blobKeys)) };
}

/**
 * Deletes a job with its batches, resumes, emails and files; null when the tenant has no such
 * job. Returns how many resume rows and files went.
 */
export async function purgeJob(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  jobId: string,
): Promise<(BlobsResult & { resumesDeleted: number }) | null> {
  const removed = await store.jobs.delete(userId, jobId);
  if (!removed) return null;
  return {
    resumesDeleted: removed.blobKeys.length,
    ...(await deleteBlobs(blobs, removed.blobKeys)),
  };
}

/** Deletes a batch with its resumes and their files; null when the tenant has no such batch. */
export async function purgeBatch(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  batchId: string,
): Promise<BlobsResult | null> {
  const removed = await store.batches.delete(userId, batchId);
  if (!removed) return null;
  return deleteBlobs(blobs, removed.blobKeys);
}

/** What erased email fields read; the row keeps its status, attempts and dates for the record. */
export const ERASED = '[erased]';

/** True when the message's content and recipient are already erased. */
export function isErasedEmail(email: EmailMessage): boolean {
  return (
    email.to === ERASED &&
    email.text === '' &&
    email.html === null &&
    !email.unsubscribeUrl &&
    (email.lastError === null || email.lastError === ERASED)
  );
}

/**
 * A message the mail transport may hold a copy of (the outbox writes `<message-id>.eml`): it was
 * claimed for sending at least once, which stores its Message-ID. Erasing its content in the store
 * leaves that copy; the email worker deletes it (`forget-email`).
 */
export interface EmailCopy {
  userId: string;
  emailId: string;
  messageId: string;
}

/** The copies erased messages may have left with the mail transport. */
export function copiesOf(emails: (EmailMessage | null)[]): EmailCopy[] {
  return emails.flatMap((email) =>
    email?.messageId
      ? [{ userId: email.userId, emailId: email.id, messageId: email.messageId }]
      : [],
  );
}

/**
 * Erases a message's personal data: recipient, subject, bodies, the unsubscribe link (its token
 * encodes the address) and the last delivery error (SMTP replies quote the address). A queued
 * message is cancelled first so it is never sent. Returns the erased row (its `messageId` names
 * any copy the transport kept: {@link copiesOf}), or null when it no longer exists.
 */
export async function eraseEmail(
  store: Store,
  email: EmailMessage,
  at: string,
): Promise<EmailMessage | null> {
  await store.emails.transition(email.userId, email.id, ['queued'], { status: 'cancelled' }, at);
  return store.emails.update(
    email.userId,
    email.id,
    {
      to: ERASED,
      subject: ERASED,
      text: '',
      html: null,
      unsubscribeUrl: null,
      ...(email.lastError === null ? {} : { lastError: ERASED }),
    },
    at,
  );
}

/** What one tenant's retention sweep removed. */
export interface RetentionResult {
  /** Ids of the resumes deleted. */
  deleted: string[];
  /** Jobs those resumes belonged to (whose caches hold their analyses). */
  jobIds: string[];
  /** Batches deleted because retention left them without any resume. */
  batchesDeleted: string[];
  resumesDeleted: number;
  emailsErased: number;
  /** Copies of erased messages the mail transport may still hold ({@link copiesOf}). */
  emailCopies: EmailCopy[];
  blobsDeleted: number;
  orphanedBlobKeys: string[];
}

/**
 * Retention: deletes the tenant's resumes uploaded before `before` with their files, then the
 * batches that no longer hold any resume, and erases emails created before it ({@link eraseEmail}),
 * cancelling any still queued. Jobs stay: they are the recruiter's own records, not candidates'.
 * Email rows keep their delivery status as the record that a message was sent, as on erasure
 * on request.
 */
export async function purgeOlderThan(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  before: string,
): Promise<RetentionResult> {
  const old: string[] = [];
  const jobIds = new Set<string>();
  const batchIds = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.resumes.list(userId, {}, 'uploadedAt', { cursor, limit: 200 });
    for (const resume of page.items) {
      if (resume.uploadedAt >= before) continue;
      old.push(resume.id);
      jobIds.add(resume.jobId);
      batchIds.add(resume.batchId);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const orphanedBlobKeys: string[] = [];
  const deleted: string[] = [];
  let blobsDeleted = 0;
  for (let i = 0; i < old.length; i += 200) {
    const purged = await purgeResumes(store, blobs, userId, old.slice(i, i + 200));
    deleted.push(...purged.deleted);
    blobsDeleted += purged.blobsDeleted;
    orphanedBlobKeys.push(...purged.orphanedBlobKeys);
  }
  // An upload whose every resume expired is gone as a whole: a recruiter would not expect an empty
  // batch, with nothing left to open, to stay in the job's list.
  const batchesDeleted: string[] = [];
  for (const batchId of batchIds) {
    const batch = await store.batches.get(userId, batchId);
    if (batch?.counts.total !== 0) continue;
    const removed = await store.batches.delete(userId, batchId);
    if (!removed) continue;
    batchesDeleted.push(batchId);
    const purged = await deleteBlobs(blobs, removed.blobKeys);
    blobsDeleted += purged.blobsDeleted;
    orphanedBlobKeys.push(...purged.orphanedBlobKeys);
  }
  let emailsErased = 0;
  const emailCopies: EmailCopy[] = [];
  const at = new Date().toISOString();
  cursor = undefined;
  do {
    const page = await store.emails.list(userId, {}, { cursor, limit: 200 });
    for (const email of page.items) {
      if (email.createdAt >= before || isErasedEmail(email)) continue;
      emailCopies.push(...copiesOf([await eraseEmail(store, email, at)]));
      emailsErased++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return {
    deleted,
    jobIds: [...jobIds],
    batchesDeleted,
    resumesDeleted: deleted.length,
    emailsErased,
    emailCopies,
    blobsDeleted,
    orphanedBlobKeys,
  };
}

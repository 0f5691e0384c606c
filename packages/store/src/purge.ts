import { resumeTextKey } from '@shortlist/contracts';
import type { Store } from './types';

/** What the purge helpers need of a blob store (the `BlobStore` of @shortlist/blobs fits). */
export interface BlobDeleter {
  delete(key: string): Promise<boolean>;
}

export interface PurgeResult {
  /** Ids of the resumes whose rows were deleted. */
  deleted: string[];
  /** Blob keys whose delete failed: the rows are gone, the files are orphans to sweep later. */
  orphanedBlobKeys: string[];
}

/** Blob deletes in flight at once, so a 10,000-resume job does not open 10,000 sockets. */
const BLOB_DELETE_CONCURRENCY = 16;

/** Deletes each resume file and the extracted text stored beside it. */
async function deleteBlobs(blobs: BlobDeleter, fileKeys: string[]): Promise<string[]> {
  const keys = fileKeys.flatMap((key) => [key, resumeTextKey(key)]);
  const failed: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await blobs.delete(key).catch(() => failed.push(key));
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLOB_DELETE_CONCURRENCY, keys.length) }, worker));
  return failed;
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
  return { deleted, orphanedBlobKeys: await deleteBlobs(blobs, blobKeys) };
}

/** Deletes a job with its batches, resumes, emails and files; null when the tenant has no such job. */
export async function purgeJob(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  jobId: string,
): Promise<{ orphanedBlobKeys: string[] } | null> {
  const removed = await store.jobs.delete(userId, jobId);
  if (!removed) return null;
  return { orphanedBlobKeys: await deleteBlobs(blobs, removed.blobKeys) };
}

/** Deletes a batch with its resumes and their files; null when the tenant has no such batch. */
export async function purgeBatch(
  store: Store,
  blobs: BlobDeleter,
  userId: string,
  batchId: string,
): Promise<{ orphanedBlobKeys: string[] } | null> {
  const removed = await store.batches.delete(userId, batchId);
  if (!removed) return null;
  return { orphanedBlobKeys: await deleteBlobs(blobs, removed.blobKeys) };
}

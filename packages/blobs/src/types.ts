import type { Readable } from 'node:stream';

export interface PutResult {
  key: string;
  size: number;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * Where uploaded files live. Keys are chosen by us (id- or content-based), never by the user, and
 * match {@link BLOB_KEY_PATTERN}.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /**
   * Stores `body` at `key` (streamed, or written at once when it is already in memory); resolves
   * once stored durably.
   */
  put(key: string, body: Readable | Buffer, contentType?: string): Promise<PutResult>;
  /** Streams the blob (or a byte range of it). Rejects with `BlobNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Resolves true when something was deleted. */
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  ping(): Promise<void>;
}

/** Keys are `segment/segment/...` of `[A-Za-z0-9_.-]`, no `..`, at most 512 characters. */
export const BLOB_KEY_PATTERN =
  /^(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/** Throws unless `key` is a safe blob key (no traversal, no absolute paths, no odd characters). */
export function assertSafeKey(key: string): void {
  if (key.length > 512 || !BLOB_KEY_PATTERN.test(key))
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
}

/** Throws unless `range` is whole bytes with 0 <= start <= end. */
export function assertValidRange(range: ByteRange): void {
  if (
    !Number.isSafeInteger(range.start) ||
    !Number.isSafeInteger(range.end) ||
    range.start < 0 ||
    range.end < range.start
  )
    throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
}

/** The key of an uploaded resume: tenant, then resume id. Never the user's file name. */
export function resumeBlobKey(userId: string, resumeId: string): string {
  return `resumes/${userId}/${resumeId}`;
}

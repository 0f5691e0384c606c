import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable, Transform } from 'node:stream';
import {
  assertSafeKey,
  assertValidRange,
  BlobNotFoundError,
  type BlobStore,
  type ByteRange,
  type PutResult,
} from './types';

export interface S3BlobConfig {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, s3rver, R2...); absent means AWS. */
  endpoint?: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle?: boolean | undefined;
  /** Static keys; absent means the AWS default chain (env, profile, instance role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Prepended to every key, so several deployments can share a bucket. */
  prefix?: string | undefined;
  /** Multipart part size, default and minimum 5 MiB. Smaller files go up in one PutObject. */
  partSizeBytes?: number | undefined;
  /**
   * Parts uploaded in parallel per upload (default 1). Each extra part in flight holds about two
   * part sizes of memory; resumes are small, so memory wins over speed by default.
   */
  queueSize?: number | undefined;
}

const MIB = 1024 * 1024;

/**
 * Blobs in an S3 bucket. Uploads stream through lib-storage's multipart `Upload` (a failed upload
 * is aborted, so no partial object is ever visible); downloads stream `GetObject`, optionally a
 * byte range. Memory stays bounded by the part size and queue, whatever the blob size.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(config: S3BlobConfig) {
    this.bucket = config.bucket;
    this.prefix = config.prefix ?? '';
    this.partSize = Math.max(5 * MIB, config.partSizeBytes ?? 5 * MIB);
    this.queueSize = Math.max(1, config.queueSize ?? 1);
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle ?? false,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      // Checksums on every request would make the SDK buffer streams of unknown length.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return `${this.prefix}${key}`;
  }

  async put(key: string, input: Readable | Buffer, contentType?: string): Promise<PutResult> {
    const objectKey = this.objectKey(key);
    const body = Buffer.isBuffer(input) ? Readable.from([input]) : input;
    let size = 0;
    let sourceError: unknown;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // Errors of the source must fail the upload (pipe() alone would leave it waiting forever).
    body.once('error', (error) => {
      sourceError = error;
      counted.destroy(error);
    });
    body.pipe(counted);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: counted,
        ContentType: contentType ?? 'application/octet-stream',
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      body.unpipe(counted);
      counted.destroy();
      // The cause the caller can act on is the source's failure, not a follow-up abort error.
      throw sourceError ?? error;
    }
    return { key, size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (range) assertValidRange(range);
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      const body = response.Body;
      let stream: Readable;
      if (body instanceof Readable) stream = body;
      else {
        // Only a Node runtime is supported, where Body is a Readable; keep a safe fallback.
        stream = new PassThrough();
        (stream as PassThrough).end(Buffer.from((await body?.transformToByteArray()) ?? []));
      }
      if (!range) return stream;
      // Some S3-compatible servers answer a Range with more than was asked (s3rver sends the
      // whole object for `bytes=0-0`): trim to what the caller asked for.
      const served = parseContentRange(response.ContentRange);
      if (served.start > range.start) {
        stream.destroy();
        throw new Error(`S3 served bytes ${served.start}- for a range starting at ${range.start}`);
      }
      if (served.start === range.start && served.end === range.end) return stream;
      return stream.pipe(
        sliceBytes({ start: range.start - served.start, end: range.end - served.start }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const objectKey = this.objectKey(key);
    // S3 deletes are idempotent and do not say whether something was there; ask first.
    if (!(await this.exists(key))) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    return true;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Closes the HTTP connection pool. */
  close(): void {
    this.client.destroy();
  }
}

/** `bytes 10-19/50000` -> {start: 10, end: 19}; no header means the whole object from 0. */
function parseContentRange(header: string | undefined): { start: number; end: number } {
  const match = header?.match(/^bytes (\d+)-(\d+)\//);
  return match
    ? { start: Number(match[1]), end: Number(match[2]) }
    : { start: 0, end: Number.MAX_SAFE_INTEGER };
}

/** Passes through only bytes `start..end` (inclusive) of a stream. */
function sliceBytes(range: ByteRange): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const from = Math.max(0, range.start - offset);
      const to = Math.min(chunk.length, range.end + 1 - offset);
      offset += chunk.length;
      callback(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    return (
      error.name === 'NoSuchKey' ||
      error.name === 'NotFound' ||
      error.$metadata.httpStatusCode === 404
    );
  }
  return false;
}

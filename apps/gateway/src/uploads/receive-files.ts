import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, newId } from '@shortlist/contracts';
import { resumeBlobKey, type BlobStore } from '@shortlist/blobs';
import type { Logger } from '@shortlist/observability';
import type { UploadLimits } from '../deps';
import type { QuotaTicket } from '../http/rate-limit';

/** A file stored in the blob store, hashed and with its first bytes kept for type sniffing. */
export interface ReceivedFile {
  resumeId: string;
  fileName: string;
  blobKey: string;
  sha256: string;
  size: number;
  head: Buffer;
}

const HEAD_BYTES = 4_096;
// C0/C1 control characters, zero-width characters, line separators, bidirectional overrides, BOM.
const UNSAFE_NAME_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Keeps a readable, harmless display name: no path, no control or bidi characters, <= 255 chars. */
export function safeFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE_NAME_CHARS, '').trim();
  return (cleaned === '.' || cleaned === '..' || !cleaned ? 'unnamed' : cleaned).slice(0, 255);
}

/** Hashes and measures bytes on their way to the blob store, keeping the first {@link HEAD_BYTES}. */
class Fingerprint extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly onBytes: (n: number) => void) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      this.headChunks.push(chunk.subarray(0, HEAD_BYTES - this.headLength));
      this.headLength += Math.min(chunk.length, HEAD_BYTES - this.headLength);
    }
    try {
      this.onBytes(chunk.length);
    } catch (error) {
      return done(error as Error);
    }
    done(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
}

/**
 * Streams every file part of a multipart request straight into the blob store. Limits are
 * enforced while streaming: a file over the size limit, too many files or too many bytes in all
 * stop the upload with 413 at once. On any failure every blob already written is deleted.
 */
export async function receiveFiles(
  req: Request,
  options: {
    blobs: BlobStore;
    userId: string;
    limits: UploadLimits;
    logger: Logger;
    /** Each file takes one resume from the tenant's hourly quota before it is stored. */
    quota?: QuotaTicket;
  },
): Promise<ReceivedFile[]> {
  const { blobs, userId, limits } = options;
  const contentType = req.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError(
      'unsupported_media_type',
      'Upload resumes as multipart/form-data (one or more "files" parts), or send JSON {"resumes": [{"fileName", "text"}]}.',
      { field: 'content-type' },
    );
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Browsers send file names as raw UTF-8; busboy would read them as latin1.
      defParamCharset: 'utf8',
      limits: {
        fileSize: limits.maxFileBytes,
        files: limits.maxFiles,
        fields: 50,
        parts: limits.maxFiles + 50,
      },
    });
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `Malformed multipart request: ${(error as Error).message}.`,
      {
        field: 'content-type',
      },
    );
  }

  const received: ReceivedFile[] = [];
  const pending: Promise<void>[] = [];
  const active = new Set<Transform>();
  let totalBytes = 0;
  let failure: AppError | null = null;

  return new Promise<ReceivedFile[]>((resolve, reject) => {
    const abort = (error: AppError) => {
      if (failure) return;
      failure = error;
      req.unpipe(parser);
      req.pause();
      // Files still streaming fail now, so their partial blobs are removed by the store.
      for (const stream of active) stream.destroy(new Error('upload aborted'));
      void Promise.allSettled(pending).then(async () => {
        await Promise.all(received.map((file) => blobs.delete(file.blobKey).catch(() => false)));
        reject(error);
      });
    };

    parser.on('file', (_field: string, stream: Readable, info: busboy.FileInfo) => {
      // busboy also fails the open file stream when the form ends early ("Unexpected end of
      // form"); unhandled, that 'error' would crash the process. The parser's own 'error'
      // decides the request's answer.
      stream.on('error', () => undefined);
      if (failure) {
        stream.resume();
        return;
      }
      const fileName = safeFileName(info.filename);
      const resumeId = newId('res');
      const blobKey = resumeBlobKey(userId, resumeId);
      const fingerprint = new Fingerprint((n) => {
        totalBytes += n;
        if (totalBytes > limits.maxBatchBytes) {
          abort(
            new AppError(
              'payload_too_large',
              `The upload is larger than ${limits.maxBatchBytes} bytes in all.`,
              {
                field: 'files',
              },
            ),
          );
        }
      });
      // The blob store attaches its own listeners once it starts; until then an error must not crash us.
      fingerprint.on('error', () => {});
      stream.on('limit', () => {
        abort(
          new AppError(
            'payload_too_large',
            `"${fileName}" is larger than the ${limits.maxFileBytes}-byte file limit.`,
            {
              field: 'files',
            },
          ),
        );
        fingerprint.destroy(new Error('file too large'));
      });
      active.add(fingerprint);
      const stored = (options.quota ? options.quota.take(1) : Promise.resolve())
        .then(() => {
          if (failure) throw failure;
          return blobs.put(blobKey, stream.pipe(fingerprint));
        })
        .then(() => {
          active.delete(fingerprint);
          received.push({
            resumeId,
            fileName,
            blobKey,
            sha256: fingerprint.hash.digest('hex'),
            size: fingerprint.size,
            head: fingerprint.head,
          });
          if (failure) void blobs.delete(blobKey).catch(() => false);
        })
        .catch((error: unknown) => {
          active.delete(fingerprint);
          stream.resume();
          void blobs.delete(blobKey).catch(() => false);
          if (failure) return;
          if (error instanceof AppError) return abort(error);
          options.logger.error('storing an upload failed', { error });
          abort(new AppError('unavailable', 'The file store is unavailable; try again shortly.'));
        });
      pending.push(stored);
    });
    parser.on('filesLimit', () =>
      abort(
        new AppError('payload_too_large', `Send at most ${limits.maxFiles} files per batch.`, {
          field: 'files',
        }),
      ),
    );
    parser.on('partsLimit', () =>
      abort(
        new AppError('payload_too_large', 'The multipart request has too many parts.', {
          field: 'files',
        }),
      ),
    );
    parser.on('error', (error: Error) =>
      abort(
        new AppError(
          'validation_failed',
          `Malformed multipart request: ${error.message}.${
            /part header/i.test(error.message)
              ? " A part header holds characters HTTP does not allow (a control character in a file name?); rename the file or send its name percent-encoded (filename*=UTF-8''...)."
              : ''
          }`,
          { field: 'body' },
        ),
      ),
    );
    parser.on('close', () => {
      void Promise.all(pending).then(() => {
        if (!failure) resolve(received.sort((a, b) => a.resumeId.localeCompare(b.resumeId)));
      });
    });
    const interrupted = () =>
      abort(new AppError('validation_failed', 'The upload was interrupted.', { field: 'body' }));
    req.on('aborted', interrupted);
    req.on('error', interrupted);
    req.on('close', () => {
      if (!req.complete) interrupted();
    });
    req.pipe(parser);
  });
}

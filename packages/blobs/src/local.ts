import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import {
  assertSafeKey,
  assertValidRange,
  BlobNotFoundError,
  type BlobStore,
  type ByteRange,
  type PutResult,
} from './types';

/**
 * Blobs as files under one root folder. Writes go to a temporary file renamed into place, so a
 * reader never sees half a file and a failed upload leaves nothing behind.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep))
      throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
    return path;
  }

  async put(key: string, body: Readable | Buffer): Promise<PutResult> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(4).toString('hex')}.part`;
    if (Buffer.isBuffer(body)) {
      // Already in memory (a worker's extracted text): one write, no stream machinery.
      try {
        await writeFile(temp, body);
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { key, size: body.length };
    }
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    try {
      await pipeline(body, createWriteStream(temp));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { key, size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    if (range) assertValidRange(range);
    const found = await stat(path).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!found) throw new BlobNotFoundError(key);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await stat(join(this.root));
  }
}

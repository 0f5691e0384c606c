import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A stream of `bytes` pseudo-random bytes in chunks, that fails after `failAfter` bytes if set. */
export function byteStream(bytes: number, options: { failAfter?: number; seed?: number } = {}) {
  const hash = createHash('sha256');
  let sent = 0;
  const chunk = randomBytes(64 * 1024);
  chunk[0] = options.seed ?? 0;
  const stream = new Readable({
    read() {
      if (options.failAfter !== undefined && sent >= options.failAfter) {
        this.destroy(new Error('client went away'));
        return;
      }
      if (sent >= bytes) {
        this.push(null);
        return;
      }
      const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      // Vary the content so a part written twice or out of order changes the hash.
      part.writeUInt32BE(sent >>> 0, part.length >= 8 ? 4 : 0);
      hash.update(part);
      sent += part.length;
      this.push(Buffer.from(part));
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

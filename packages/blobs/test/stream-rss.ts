/**
 * Streams one large blob up and back down through a blob store in this process alone, sampling
 * its resident memory, and prints `RESULT {...}`. Run by streaming-memory.int.test.ts so jest's
 * own memory does not blur the measurement.
 *
 * Usage: node --expose-gc --import tsx stream-rss.ts '<json: {bytes, local?: {dir}, s3?: S3BlobConfig}>'
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LocalBlobStore, S3BlobStore, type BlobStore, type S3BlobConfig } from '../src';
import { byteStream } from './byte-stream';

interface Options {
  bytes: number;
  local?: { dir: string };
  s3?: S3BlobConfig;
}

async function drain(stream: Readable): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as Options;
  const store: BlobStore = options.s3
    ? new S3BlobStore(options.s3)
    : new LocalBlobStore(options.local!.dir);

  // Warm up with a 12 MB blob (several multipart parts): the SDK is loaded, connections are open
  // and the allocator has met part-sized buffers once, as in any process that has served an
  // upload. What grows after this is what grows with blob size.
  const warm = byteStream(12 * 1024 * 1024);
  await store.put('warm-up', warm.stream);
  await drain(await store.get('warm-up'));
  await store.delete('warm-up');
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const baseline = process.memoryUsage.rss();

  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);

  const source = byteStream(options.bytes);
  const upStart = Date.now();
  const put = await store.put('large/blob', source.stream, 'application/octet-stream');
  const uploadMs = Date.now() - upStart;
  const uploadPeak = peak;
  const downStart = Date.now();
  const down = await drain(await store.get('large/blob'));
  const downloadMs = Date.now() - downStart;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  await store.delete('large/blob');
  if (store instanceof S3BlobStore) store.close();

  process.stdout.write(
    `RESULT ${JSON.stringify({
      baseline,
      peak,
      uploadPeak,
      uploaded: put.size,
      uploadSha256: source.digest(),
      downloaded: down.bytes,
      downloadSha256: down.sha256,
      uploadMs,
      downloadMs,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stream-rss failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

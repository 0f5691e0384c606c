import type { Batch } from '@shortlist/contracts';
import type { InputFile } from '../local/collect-files';
import { createProgress } from '../output/progress';
import { colorsFor, say } from '../output/terminal';
import type { ApiClient } from './api-client';
import { followBatches } from './follow';
import { chunkFiles, uploadBatch, type UploadResult } from './upload';

interface ProgressOptions {
  progress: boolean;
  color?: boolean;
  batchSize: number;
}

/** Bytes in KB or MB, whichever reads better for the whole upload. */
function byteUnit(total: number): { unit: string; format: (bytes: number) => string } {
  return total < 1_048_576
    ? { unit: 'KB', format: (b) => (b / 1_024).toFixed(0) }
    : { unit: 'MB', format: (b) => (b / 1_048_576).toFixed(1) };
}

/** Uploads files in batches of `batchSize`, with a byte progress bar on stderr. */
export async function uploadWithProgress(
  client: ApiClient,
  jobId: string,
  files: InputFile[],
  options: ProgressOptions,
): Promise<UploadResult[]> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const progress = createProgress({
    stream: process.stderr,
    colors: colorsFor(process.stderr, options),
    enabled: options.progress,
    unit: byteUnit(total).unit,
    formatValue: byteUnit(total).format,
  });
  const results: UploadResult[] = [];
  let before = 0;
  progress.start(total, 'Uploading');
  try {
    for (const chunk of chunkFiles(files, options.batchSize, 256 * 1_048_576)) {
      // Multipart framing adds a little to the file bytes; never report more than the total.
      const result = await uploadBatch(client, jobId, chunk, (sent) =>
        progress.update(Math.min(total, before + sent)),
      );
      before += chunk.reduce((sum, f) => sum + f.size, 0);
      progress.update(Math.min(total, before));
      results.push(result);
    }
  } finally {
    progress.stop();
  }
  const count = (status: string) =>
    results.flatMap((r) => r.files).filter((f) => f.status === status).length;
  say(
    `Uploaded ${files.length} files in ${results.length} batch${results.length === 1 ? '' : 'es'} ` +
      `(${results.map((r) => r.batch.id).join(', ')}): ${count('queued')} queued, ` +
      `${count('duplicate')} duplicate, ${count('rejected')} rejected`,
  );
  return results;
}

/** Follows batches live (SSE) with a progress bar until all are finished. */
export async function followWithProgress(
  client: ApiClient,
  batchIds: string[],
  options: Omit<ProgressOptions, 'batchSize'>,
): Promise<Batch[]> {
  const progress = createProgress({
    stream: process.stderr,
    colors: colorsFor(process.stderr, options),
    enabled: options.progress,
  });
  let started = false;
  try {
    return await followBatches(client, batchIds, {
      onUpdate(batches) {
        const total = batches.reduce((s, b) => s + b.counts.total, 0);
        const done = batches.reduce(
          (s, b) => s + b.counts.done + b.counts.failed + b.counts.duplicate,
          0,
        );
        if (!started && batches.length === batchIds.length) {
          progress.start(total, 'Analysing');
          started = true;
        }
        const failed = batches.reduce((s, b) => s + b.counts.failed, 0);
        progress.update(done, failed ? `${failed} failed` : '');
      },
    });
  } finally {
    progress.stop();
  }
}

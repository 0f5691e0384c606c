import { parentPort } from 'node:worker_threads';
import { extractBytes, type ExtractBytesOptions } from './extract-bytes';
import { warmUpPdf } from './pdf/pdf.extractor';

/** Messages from the pool: one file at a time. */
export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  options: ExtractBytesOptions;
}

/** Replies to the pool: ready (libraries loaded), a result, or the error that escaped extraction. */
export type WorkerReply =
  | { ready: true }
  | { id: number; result: Awaited<ReturnType<typeof extractBytes>> }
  | { id: number; error: string };

parentPort?.on('message', (request: WorkerRequest) => {
  extractBytes(request.bytes, request.options).then(
    (result) => parentPort!.postMessage({ id: request.id, result } satisfies WorkerReply),
    (error: unknown) =>
      parentPort!.postMessage({ id: request.id, error: String(error) } satisfies WorkerReply),
  );
});

// Load pdf.js before taking files, so a file's time limit is not spent on start-up.
void warmUpPdf().finally(() => parentPort?.postMessage({ ready: true } satisfies WorkerReply));

import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { Batch } from '@shortlist/contracts';
import type { InputFile } from '../local/collect-files';
import type { ApiClient } from './api-client';

/** Per-file outcome the gateway answers with (`202 {batch, files}`). */
export interface UploadedFile {
  fileName: string;
  status: 'queued' | 'duplicate' | 'rejected';
  resumeId: string | null;
  duplicateOf?: string;
  reason?: string;
}

export interface UploadResult {
  batch: Batch;
  files: UploadedFile[];
}

/** Splits files into batches the server accepts (file count and total bytes per request). */
export function chunkFiles(files: InputFile[], maxFiles: number, maxBytes: number): InputFile[][] {
  const chunks: InputFile[][] = [];
  let current: InputFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length >= maxFiles || bytes + file.size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Uploads files as one batch (multipart `files` parts), streaming them from disk. `onBytes` is
 * called with the bytes sent so far, for the upload progress bar.
 */
export async function uploadBatch(
  client: ApiClient,
  jobId: string,
  files: InputFile[],
  onBytes?: (sent: number) => void,
): Promise<UploadResult> {
  const form = new FormData();
  for (const file of files) {
    // The server judges the type from the bytes, never from this name.
    form.append('files', await openAsBlob(file.path), basename(file.label));
  }
  // Encode once through a Request to get the multipart stream and its boundary, then count bytes.
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  let sent = 0;
  const counted = encoded.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        onBytes?.(sent);
        controller.enqueue(chunk);
      },
    }),
  );
  return client.request<UploadResult>('POST', `/v1/jobs/${encodeURIComponent(jobId)}/batches`, {
    body: counted as unknown as RequestInit['body'],
    headers: { 'content-type': encoded.headers.get('content-type')! },
    init: { duplex: 'half' },
  });
}

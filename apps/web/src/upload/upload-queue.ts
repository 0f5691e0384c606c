import type { ShortlistApi } from '../api/api';
import { ApiError } from '../api/client';
import type { Batch, FileOutcome } from '../api/types';

export type UploadState = 'waiting' | 'uploading' | 'queued' | 'duplicate' | 'rejected' | 'failed';

export interface UploadItem {
  id: number;
  file: File;
  /** Path inside a dropped folder, else the file name. */
  path: string;
  state: UploadState;
  /** 0..1 of the bytes sent. */
  progress: number;
  reason?: string;
}

const MAX_FILES_PER_REQUEST = 50;
const MAX_BYTES_PER_REQUEST = 24 * 1024 * 1024;
const CONCURRENCY = 2;
const MAX_ATTEMPTS = 4;

/** Splits files into requests small enough to retry cheaply and to show steady progress. */
export function chunkItems<T extends { file: { size: number } }>(
  items: T[],
  maxFiles = MAX_FILES_PER_REQUEST,
  maxBytes = MAX_BYTES_PER_REQUEST,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= maxFiles || bytes + item.file.size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.file.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Reasons a file is turned away before it is sent. */
export function precheck(file: File, path: string): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (path.split('/').some((part) => part.startsWith('.'))) return 'Hidden system file skipped.';
  return null;
}

/**
 * Uploads many files as a series of batches (a few requests at a time) and reports each file's
 * progress and outcome. A request refused because one file is too large is split so the other
 * files still go through; busy or unreachable servers are retried with backoff.
 */
export class UploadQueue {
  private items: UploadItem[] = [];
  private waiting: UploadItem[][] = [];
  private running = 0;
  private nextId = 1;
  private readonly controller = new AbortController();
  private notifyScheduled = false;

  constructor(
    private readonly api: ShortlistApi,
    private readonly jobId: string,
    private readonly onChange: (items: UploadItem[]) => void,
    private readonly onBatch: (batch: Batch) => void,
  ) {}

  add(files: { file: File; path: string }[]): void {
    const fresh: UploadItem[] = files.map(({ file, path }) => {
      const reason = precheck(file, path);
      return {
        id: this.nextId++,
        file,
        path,
        state: reason ? 'rejected' : 'waiting',
        progress: 0,
        ...(reason ? { reason } : {}),
      };
    });
    this.items = [...this.items, ...fresh];
    this.waiting.push(...chunkItems(fresh.filter((i) => i.state === 'waiting')));
    this.notify(true);
    this.pump();
  }

  cancel(): void {
    this.controller.abort();
    for (const item of this.items)
      if (item.state === 'waiting' || item.state === 'uploading') {
        item.state = 'failed';
        item.reason = 'Cancelled.';
      }
    this.waiting = [];
    this.notify(true);
  }

  get busy(): boolean {
    return this.running > 0 || this.waiting.length > 0;
  }

  private pump(): void {
    while (
      this.running < CONCURRENCY &&
      this.waiting.length > 0 &&
      !this.controller.signal.aborted
    ) {
      const chunk = this.waiting.shift()!;
      this.running++;
      void this.send(chunk).finally(() => {
        this.running--;
        this.notify(true);
        this.pump();
      });
    }
  }

  private async send(chunk: UploadItem[], attempt = 1): Promise<void> {
    for (const item of chunk) item.state = 'uploading';
    this.notify(true);
    const sizes = chunk.map((i) => i.file.size);
    const totalSize = sizes.reduce((a, b) => a + b, 0);
    try {
      const result = await this.api.uploadFiles(
        this.jobId,
        chunk.map((i) => i.file),
        (loaded, total) => {
          // Parts are sent in order, so bytes sent map onto files by their cumulative sizes.
          let sent = (loaded / total) * totalSize;
          chunk.forEach((item, index) => {
            const size = sizes[index]!;
            item.progress = size === 0 ? 1 : Math.max(0, Math.min(1, sent / size));
            sent -= size;
          });
          this.notify(false);
        },
        this.controller.signal,
      );
      this.apply(chunk, result.files);
      this.onBatch(result.batch);
    } catch (error) {
      if (this.controller.signal.aborted) return;
      await this.handleFailure(chunk, error, attempt);
    }
  }

  private apply(chunk: UploadItem[], outcomes: FileOutcome[]): void {
    chunk.forEach((item, index) => {
      const outcome = outcomes[index];
      item.progress = 1;
      if (!outcome) {
        item.state = 'failed';
        item.reason = 'The server did not report on this file.';
        return;
      }
      item.state = outcome.status;
      if (outcome.status === 'rejected') item.reason = outcome.reason ?? 'Not a readable resume.';
      if (outcome.status === 'duplicate') item.reason = 'Already uploaded to this job.';
    });
  }

  private async handleFailure(chunk: UploadItem[], error: unknown, attempt: number): Promise<void> {
    const status = error instanceof ApiError ? error.status : 0;
    const message = error instanceof ApiError ? error.message : 'The upload failed.';
    const finish = (state: UploadState, reason: string, items = chunk) => {
      for (const item of items) {
        item.state = state;
        item.reason = reason;
        item.progress = state === 'rejected' ? 1 : item.progress;
      }
    };
    if (status === 413 && chunk.length > 1) {
      // One file over a limit refuses the whole request: send the files one by one instead.
      for (const item of chunk) {
        item.state = 'waiting';
        item.progress = 0;
      }
      this.waiting.unshift(...chunk.map((item) => [item]));
      return;
    }
    if (status === 413) return finish('rejected', message);
    if (status === 415 && error instanceof ApiError) {
      // No file in the request was readable: the server names each one.
      chunk.forEach((item, index) => {
        const detail = error.fieldErrors.find((e) => e.field === `files.${index}`)?.message;
        item.state = 'rejected';
        item.progress = 1;
        item.reason = detail ? detail.replace(`${item.file.name}: `, '') : message;
      });
      return;
    }
    const retryable =
      status === 0 || status === 429 || status === 502 || status === 503 || status === 504;
    if (retryable && attempt < MAX_ATTEMPTS) {
      const wait =
        error instanceof ApiError && error.retryAfterSeconds
          ? error.retryAfterSeconds * 1000
          : 1000 * 2 ** attempt;
      for (const item of chunk) {
        item.state = 'waiting';
        item.progress = 0;
      }
      this.notify(true);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.controller.signal.aborted) return;
      return this.send(chunk, attempt + 1);
    }
    finish(status >= 400 && status < 500 && status !== 429 ? 'rejected' : 'failed', message);
  }

  /** Coalesces progress updates to one per animation frame; state changes go out at once. */
  private notify(immediate: boolean): void {
    if (immediate) {
      this.onChange(this.items.map((i) => ({ ...i })));
      return;
    }
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    requestAnimationFrame(() => {
      this.notifyScheduled = false;
      this.onChange(this.items.map((i) => ({ ...i })));
    });
  }
}

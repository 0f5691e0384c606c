import { createParser } from 'eventsource-parser';
import type { ShortlistApi } from './api';
import type { Batch, ProgressEvent } from './types';

export interface BatchWatchHandlers {
  /** A progress event (live over SSE). */
  onEvent(event: ProgressEvent): void;
  /** Fresh counts (after reconnects and on every poll). */
  onBatch(batch: Batch): void;
  /** How the watch is connected, for the live indicator. */
  onMode?(mode: 'live' | 'polling' | 'reconnecting'): void;
}

const POLL_MS = 1_500;
const MAX_BACKOFF_MS = 15_000;

/**
 * Follows one batch until it finishes: Server-Sent Events when the gateway serves them (fetch-based,
 * because EventSource cannot send the Authorization header), resuming with Last-Event-ID after a
 * drop; polling `GET /v1/batches/:id` when it does not. Returns a function that stops watching.
 */
export function watchBatch(
  api: ShortlistApi,
  batchId: string,
  useEvents: boolean,
  handlers: BatchWatchHandlers,
): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const stopped = () => signal.aborted;

  const refreshCounts = async (): Promise<Batch | null> => {
    try {
      const batch = await api.getBatch(batchId, signal);
      if (!stopped()) handlers.onBatch(batch);
      return batch;
    } catch {
      return null;
    }
  };

  const poll = async () => {
    handlers.onMode?.('polling');
    while (!stopped()) {
      const batch = await refreshCounts();
      if (batch?.finishedAt) return;
      await sleep(POLL_MS, signal);
    }
  };

  const stream = async () => {
    // Kept in an object: the parser callback updates it between reconnects.
    const resume: { lastEventId: string | null } = { lastEventId: null };
    let backoff = 500;
    let finished = false;
    while (!stopped() && !finished) {
      try {
        const response = await api.http.fetch(`/v1/batches/${encodeURIComponent(batchId)}/events`, {
          signal,
          headers: {
            accept: 'text/event-stream',
            ...(resume.lastEventId ? { 'last-event-id': resume.lastEventId } : {}),
          },
        });
        // 204: the batch finished and nothing more will come.
        if (response.status === 204 || !response.body) {
          await refreshCounts();
          return;
        }
        handlers.onMode?.('live');
        backoff = 500;
        // The stream only carries what happens from now on: read counts once it is open.
        const batch = await refreshCounts();
        if (batch?.finishedAt) return;
        const parser = createParser({
          onEvent(message) {
            if (message.id) resume.lastEventId = message.id;
            const event = parseMessage(message.data);
            if (!event || typeof event.type !== 'string') return;
            // The first message of a fresh stream carries the batch as it is now.
            if (event.type === 'snapshot') {
              if (event.batch) handlers.onBatch(event.batch);
              return;
            }
            handlers.onEvent(event);
            if (event.type === 'batch.finished') finished = true;
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        while (!finished) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
        await reader.cancel().catch(() => undefined);
        if (!finished) {
          // The server ended the stream: stop if the batch is done, else resume where we were.
          const latest = await refreshCounts();
          if (latest?.finishedAt && latest.counts.queued + latest.counts.processing === 0) return;
        }
      } catch (error) {
        if (stopped()) return;
        const status = (error as { status?: number }).status;
        if (status === 404 || status === 405 || status === 406) return poll();
      }
      if (finished) {
        await refreshCounts();
        return;
      }
      if (stopped()) return;
      handlers.onMode?.('reconnecting');
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };

  void (useEvents ? stream() : poll());
  return () => controller.abort();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

type StreamMessage = ProgressEvent | { type: 'snapshot'; batch?: Batch };

function parseMessage(data: string): StreamMessage | null {
  try {
    return JSON.parse(data) as StreamMessage;
  } catch {
    return null;
  }
}

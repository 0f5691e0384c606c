import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';
import type { Batch } from '@shortlist/contracts';
import { ApiError, type ApiClient } from './api-client';

export interface FollowOptions {
  /** Called with the latest counts of every followed batch whenever they change. */
  onUpdate?: (batches: Batch[]) => void;
  /** Safety net: counts are re-read at least this often even when no event arrives. */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Follows batches until every one is finished. Live progress comes from Server-Sent Events
 * (`/v1/batches/:id/events`, resumed with Last-Event-ID after a drop); each event triggers a
 * re-read of the counts, and a slow poll covers events sent before the stream opened. A server
 * without the events route is simply polled.
 */
export async function followBatches(
  client: ApiClient,
  batchIds: string[],
  options: FollowOptions = {},
): Promise<Batch[]> {
  const latest = new Map<string, Batch>();
  const report = () =>
    options.onUpdate?.(batchIds.map((id) => latest.get(id)).filter((b): b is Batch => Boolean(b)));
  const results = await Promise.all(
    batchIds.map((id) =>
      followOne(client, id, options, (batch) => {
        latest.set(id, batch);
        report();
      }),
    ),
  );
  return results;
}

async function followOne(
  client: ApiClient,
  batchId: string,
  options: FollowOptions,
  onBatch: (batch: Batch) => void,
): Promise<Batch> {
  const path = `/v1/batches/${encodeURIComponent(batchId)}`;
  const pollMs = options.pollMs ?? 2_000;
  let batch = await client.get<Batch>(path);
  onBatch(batch);
  if (batch.finishedAt) return batch;

  let wake: (() => void) | null = null;
  const nudge = () => wake?.();
  const stream = new AbortController();
  const stopStream = () => stream.abort();
  options.signal?.addEventListener('abort', stopStream, { once: true });
  const events = streamEvents(client, `${path}/events`, stream.signal, nudge);

  try {
    while (!batch.finishedAt) {
      await Promise.race([
        new Promise<void>((resolve) => (wake = resolve)),
        sleep(pollMs, undefined, { signal: stream.signal }).catch(() => undefined),
      ]);
      wake = null;
      options.signal?.throwIfAborted();
      // Many events arrive in bursts: one read per short window is enough.
      await sleep(100);
      batch = await client.get<Batch>(path);
      onBatch(batch);
    }
    return batch;
  } finally {
    stream.abort();
    options.signal?.removeEventListener('abort', stopStream);
    await events;
  }
}

/** Reads the SSE stream until aborted, reconnecting with Last-Event-ID; calls `onEvent` per event. */
async function streamEvents(
  client: ApiClient,
  path: string,
  signal: AbortSignal,
  onEvent: () => void,
): Promise<void> {
  let lastEventId: string | undefined;
  while (!signal.aborted) {
    try {
      const response = await client.raw('GET', path, {
        headers: {
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal,
      });
      const parser = createParser({
        onEvent(event) {
          if (event.id) lastEventId = event.id;
          onEvent();
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } catch (error) {
      if (signal.aborted) return;
      // No events route on this server: polling alone will do.
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return;
    }
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
  }
}

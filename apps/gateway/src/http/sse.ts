import type { Response } from 'express';

/** Open event streams of this process, so shutdown can end them cleanly. */
export class SseRegistry {
  private readonly open = new Set<{ res: Response; close: () => Promise<void> }>();

  get size(): number {
    return this.open.size;
  }

  /** Starts an event stream on `res`: headers, a reconnect hint, no buffering by proxies. */
  start(res: Response, close: () => Promise<void>): () => void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const entry = { res, close };
    this.open.add(entry);
    return () => {
      this.open.delete(entry);
    };
  }

  /** Ends every stream: clients reconnect (to another replica) with Last-Event-ID. */
  async closeAll(): Promise<void> {
    const entries = [...this.open];
    this.open.clear();
    await Promise.all(
      entries.map(async ({ res, close }) => {
        // Written first: `close` ends the response itself.
        if (!res.writableEnded)
          res.write(': server shutting down, reconnect with Last-Event-ID\n\n');
        await close().catch(() => undefined);
        if (!res.writableEnded) res.end();
      }),
    );
  }
}

/** One SSE message. Every event is a plain `message` with its type inside the JSON data. */
export function sseMessage(data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

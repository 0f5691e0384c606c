import { randomBytes } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import type { Logger } from '@shortlist/observability';

export interface BatchFetchOptions {
  baseURL: string;
  apiKey: string;
  /** How long requests are collected before one batch is sent (ms). */
  windowMs: number;
  /** A batch is sent at once when this many requests are waiting. */
  maxRequests: number;
  /** How often a running batch is looked at (ms). */
  pollMs: number;
  logger: Logger;
}

interface Pending {
  customId: string;
  body: string;
  resolve(response: Response): void;
  reject(error: Error): void;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A `fetch` for the openai SDK that sends chat completions through the OpenAI Batch API (half
 * price, results when the provider is ready) and answers each caller with its own result, so the
 * LLM client's validation, repair and cost accounting work unchanged. Requests arriving within
 * `windowMs` (or up to `maxRequests`) go in one batch file; other requests pass straight through.
 *
 * The caller's queue job stays active (its lock renewed) while its batch runs; a worker that dies
 * loses its waiting calls, and their jobs are retried in a later batch.
 */
export function createBatchFetch(options: BatchFetchOptions) {
  const api = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, maxRetries: 5 });
  const chatUrl = `${options.baseURL.replace(/\/$/, '')}/chat/completions`;
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const stats = { batches: 0, requests: 0 };

  const settleAll = (items: Pending[], error: Error) => {
    for (const item of items) item.reject(error);
  };

  const run = async (items: Pending[]) => {
    const lines = items.map((item) =>
      JSON.stringify({
        custom_id: item.customId,
        method: 'POST',
        url: '/v1/chat/completions',
        body: JSON.parse(item.body) as unknown,
      }),
    );
    const file = await api.files.create({
      file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'shortlist-batch.jsonl'),
      purpose: 'batch',
    });
    let batch = await api.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    stats.batches += 1;
    stats.requests += items.length;
    options.logger.info('economy batch sent', { batchId: batch.id, requests: items.length });
    while (['validating', 'in_progress', 'finalizing'].includes(batch.status) && !stopped) {
      await new Promise((r) => setTimeout(r, options.pollMs));
      batch = await api.batches.retrieve(batch.id);
    }
    if (batch.status !== 'completed' || !batch.output_file_id) {
      // Expired, failed or cancelled: the provider's 5xx-like verdict, so the jobs retry later.
      throw Object.assign(new Error(`Batch ${batch.id} ended ${batch.status}`), { status: 503 });
    }
    const output = await (await api.files.content(batch.output_file_id)).text();
    const byId = new Map<string, { status_code: number; body: unknown }>();
    for (const line of output.split('\n')) {
      if (!line.trim()) continue;
      const result = JSON.parse(line) as {
        custom_id: string;
        response: { status_code: number; body: unknown } | null;
        error: { message?: string } | null;
      };
      byId.set(
        result.custom_id,
        result.response ?? { status_code: 500, body: { error: result.error ?? {} } },
      );
    }
    for (const item of items) {
      const result = byId.get(item.customId);
      item.resolve(
        result
          ? json(result.status_code, result.body)
          : json(500, { error: { message: 'missing from the batch output' } }),
      );
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const items = pending;
    pending = [];
    if (items.length === 0) return;
    run(items).catch((error: unknown) => {
      options.logger.warn('economy batch failed', { error, requests: items.length });
      settleAll(items, error instanceof Error ? error : new Error(String(error)));
    });
  };

  const batchFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url !== chatUrl || (init?.method ?? 'GET').toUpperCase() !== 'POST')
      return fetch(input, init);
    const body = typeof init?.body === 'string' ? init.body : await new Response(init?.body).text();
    return new Promise<Response>((resolve, reject) => {
      pending.push({ customId: `c-${randomBytes(8).toString('hex')}`, body, resolve, reject });
      init?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      if (pending.length >= options.maxRequests) flush();
      else timer ??= setTimeout(flush, options.windowMs);
    });
  };

  return {
    fetch: batchFetch as typeof fetch,
    stats,
    /** Stops polling; waiting callers fail and their jobs are retried elsewhere. */
    close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      settleAll(pending, new Error('worker shutting down'));
      pending = [];
    },
  };
}

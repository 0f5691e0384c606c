/**
 * An open-loop load generator (constant arrival rate, like k6's `constant-arrival-rate`): request
 * i is due at i / rate seconds whatever the server does, so a slow server cannot slow the load
 * down and hide its tail (coordinated omission). Latency is measured from when a request was due,
 * not from when a connection was free. At most `connections` requests are in flight (k6's
 * maxVUs); a request that could not start within `maxQueueMs` of its due time is counted as
 * "could not be sent" (k6's dropped_iterations) instead of being sent late.
 */
import { Agent, request } from 'node:http';

export interface OpenLoopOptions {
  baseUrl: string;
  /** Requests per second, constant or as a function of the elapsed time (ramps, spikes). */
  rate: number | ((elapsedMs: number) => number);
  durationMs: number;
  connections: number;
  /** The i-th request: path and headers. */
  request: (i: number) => { path: string; headers?: Record<string, string> };
  maxQueueMs?: number;
  /** Called with every finished request (e.g. to split results by phase). */
  onResult?: (r: { dueAt: number; latencyMs: number; status: number }) => void;
}

export interface OpenLoopResult {
  due: number;
  completed: number;
  /** Transport errors and 5xx. */
  errors: number;
  /** Requests that could not start within maxQueueMs of their due time. */
  notSent: number;
  statuses: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  achievedRate: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.baseUrl);
  const maxQueueMs = options.maxQueueMs ?? 1_000;
  const rateAt = typeof options.rate === 'number' ? () => options.rate as number : options.rate;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let due = 0;
  let completed = 0;
  let errors = 0;
  let notSent = 0;
  let inFlight = 0;
  const waiting: { i: number; dueAt: number }[] = [];
  const start = performance.now();
  // Request i is released once i / rate seconds have passed: request 0 at the start. (Starting
  // at 0 released each request one interval after it was due, adding 1 / rate to every latency.)
  let credit = 1;
  let last = start;
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let scheduling = true;

  const finish = (dueAt: number, status: number) => {
    const latencyMs = performance.now() - dueAt;
    latencies.push(latencyMs);
    statuses[status] = (statuses[status] ?? 0) + 1;
    completed++;
    if (status === 0 || status >= 500) errors++;
    options.onResult?.({ dueAt: dueAt - start, latencyMs, status });
    inFlight--;
    pump();
    if (!scheduling && inFlight === 0 && waiting.length === 0) resolveDone();
  };

  const send = (i: number, dueAt: number) => {
    inFlight++;
    const spec = options.request(i);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: spec.path,
        method: 'GET',
        headers: spec.headers,
        agent,
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(dueAt, res.statusCode ?? 0));
        res.on('error', () => finish(dueAt, 0));
      },
    );
    req.on('error', () => finish(dueAt, 0));
    req.end();
  };

  const pump = () => {
    while (inFlight < options.connections && waiting.length > 0) {
      const next = waiting.shift()!;
      if (performance.now() - next.dueAt > maxQueueMs) {
        notSent++;
        continue;
      }
      send(next.i, next.dueAt);
    }
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const elapsed = now - start;
      if (elapsed >= options.durationMs) {
        scheduling = false;
        resolve();
        return;
      }
      credit += ((now - last) / 1000) * rateAt(elapsed);
      last = now;
      while (credit >= 1) {
        credit -= 1;
        // At a constant rate each request has an exact due time; on a ramp, this tick's time.
        const dueAt = typeof options.rate === 'number' ? start + (due * 1000) / options.rate : now;
        waiting.push({ i: due++, dueAt });
      }
      pump();
      // ~1 ms ticks: exact enough, and no busy loop stealing a core from the servers.
      setTimeout(tick, 1);
    };
    tick();
  });
  // Requests still queued when the time is up are not sent.
  notSent += waiting.splice(0).length;
  if (inFlight > 0) await done;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    due,
    completed,
    errors,
    notSent,
    statuses,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    achievedRate: completed / (options.durationMs / 1000),
  };
}

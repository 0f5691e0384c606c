import type { Queue } from 'bullmq';
import { prom, type Registry } from '@shortlist/observability';

const STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

/** What the autoscaler and the dashboards need to know about one queue, read from Redis. */
export interface QueueDepth {
  queue: string;
  /** Jobs ready to run now (BullMQ's `waiting` plus `prioritized`). */
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest job that is ready but not started, in seconds (0 when none waits). */
  oldestWaitingSeconds: number;
  counts: Record<(typeof STATES)[number], number>;
}

/** Prioritized jobs are ordered by priority, not age: look at this many to find the oldest. */
const PRIORITIZED_SAMPLE = 50;

/** Reads the counts of `queue` and the age of its oldest ready job. */
export async function readQueueDepth(queue: Queue, now = Date.now()): Promise<QueueDepth> {
  const raw = await queue.getJobCounts(...STATES);
  const counts = Object.fromEntries(STATES.map((s) => [s, raw[s] ?? 0])) as QueueDepth['counts'];
  const [oldestWaiting, prioritized] = await Promise.all([
    counts.waiting > 0 ? queue.getJobs(['waiting'], 0, 0, true) : [],
    counts.prioritized > 0 ? queue.getJobs(['prioritized'], 0, PRIORITIZED_SAMPLE - 1, true) : [],
  ]);
  const timestamps = [...oldestWaiting, ...prioritized]
    .map((job) => job?.timestamp)
    .filter((t): t is number => typeof t === 'number');
  const oldest = timestamps.length > 0 ? Math.min(...timestamps) : now;
  return {
    queue: queue.name,
    waiting: counts.waiting + counts.prioritized,
    active: counts.active,
    delayed: counts.delayed,
    failed: counts.failed,
    oldestWaitingSeconds: Math.max(0, (now - oldest) / 1000),
    counts,
  };
}

/**
 * `shortlist_queue_jobs{queue,state}` and `shortlist_queue_oldest_job_age_seconds{queue}`, read
 * from Redis at scrape time. The autoscaler and KEDA scale workers on `state="waiting"`; every
 * gateway replica reports the same values, so dashboards take `max by (queue, state)`.
 */
export function registerQueueMetrics(registry: Registry, queues: Queue[]): void {
  // One read of Redis per scrape feeds both gauges, whichever the registry collects first.
  let latest: { at: number; depths: Promise<(QueueDepth | null)[]> } | null = null;
  const read = () => {
    if (!latest || Date.now() - latest.at > 250)
      latest = {
        at: Date.now(),
        // Redis down: that queue is skipped and the gauges keep their last values.
        depths: Promise.all(queues.map((queue) => readQueueDepth(queue).catch(() => null))),
      };
    return latest.depths;
  };
  new prom.Gauge({
    name: 'shortlist_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await read())
        if (depth)
          for (const state of STATES) this.set({ queue: depth.queue, state }, depth.counts[state]);
    },
  });
  new prom.Gauge({
    name: 'shortlist_queue_oldest_job_age_seconds',
    help: 'Age of the oldest job waiting to start, per queue (0 when none waits)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await read())
        if (depth) this.set({ queue: depth.queue }, depth.oldestWaitingSeconds);
    },
  });
}

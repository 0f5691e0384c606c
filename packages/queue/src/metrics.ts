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

/**
 * `shortlist_queue_jobs{queue,state}`, read from Redis at scrape time. The autoscaler and KEDA
 * scale workers on `state="waiting"`.
 */
export function registerQueueMetrics(registry: Registry, queues: Queue[]): void {
  new prom.Gauge({
    name: 'shortlist_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await queue.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch {
            /* Redis down: keep the last values rather than fail the whole scrape */
          }
        }),
      );
    },
  });
}

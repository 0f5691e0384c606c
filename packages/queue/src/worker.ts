import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  JobCatalog,
  jobNamesOf,
  type JobNameOf,
  type PayloadOf,
  type QueueName,
} from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';

/** Processes one job; the payload has already been validated against the catalog. */
export type Processor<Q extends QueueName, N extends JobNameOf<Q>> = (
  payload: PayloadOf<Q, N>,
  job: Job,
) => Promise<unknown>;

/** One processor per job name of the queue: a missing one is a compile error. */
export type ProcessorMap<Q extends QueueName> = { [N in JobNameOf<Q>]: Processor<Q, N> };

export interface TypedWorkerOptions<Q extends QueueName> {
  queue: Q;
  processors: ProcessorMap<Q>;
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  /** Extra BullMQ worker options (lock duration, stalled interval, limiter...). */
  worker?: Partial<WorkerOptions>;
}

/**
 * A BullMQ worker for one queue of the catalog. Refuses to start when a job name of the queue has
 * no processor (a compile error already, checked again at run time for plain-JS callers).
 */
export function createWorker<Q extends QueueName>(options: TypedWorkerOptions<Q>): Worker {
  const processors = options.processors as Record<string, Processor<Q, never>>;
  const missing = jobNamesOf(options.queue).filter(
    (name) => typeof processors[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new Error(`queue "${options.queue}" has no processor for: ${missing.join(', ')}`);
  }
  const catalog = JobCatalog[options.queue] as Record<
    string,
    { payload: { parse(v: unknown): unknown } }
  >;
  const worker = new Worker(
    options.queue,
    async (job: Job) => {
      const processor = processors[job.name];
      const entry = catalog[job.name];
      if (!processor || !entry) throw new Error(`unknown job name "${job.name}"`);
      return processor(entry.payload.parse(job.data) as never, job);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: false,
      ...options.worker,
    },
  );
  worker.on('error', (error) =>
    options.logger.error('worker error', { queue: options.queue, error }),
  );
  return worker;
}

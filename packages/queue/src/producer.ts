import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  AppError,
  JobCatalog,
  type JobNameOf,
  type PayloadOf,
  type QueueName,
} from '@shortlist/contracts';

export interface ProducerOptions {
  connection: Redis;
  prefix: string;
}

/** Options a producer may set per job; everything else comes from the catalog. */
export type EnqueueOptions = Pick<JobsOptions, 'jobId' | 'priority' | 'delay'>;

export interface BulkItem<Q extends QueueName, N extends JobNameOf<Q>> {
  name: N;
  payload: PayloadOf<Q, N>;
  options?: EnqueueOptions;
}

function catalogEntry(queue: QueueName, name: string) {
  const jobs = JobCatalog[queue] as unknown as Record<
    string,
    { payload: { parse(v: unknown): unknown }; options: JobsOptions } | undefined
  >;
  const entry = jobs[name];
  if (!entry) throw new Error(`job "${name}" is not in the catalog of queue "${queue}"`);
  return entry;
}

/**
 * Typed producer for one queue: payloads are validated against the catalog and get the catalog's
 * default options, so every producer enqueues the same way.
 */
export class Producer<Q extends QueueName> {
  readonly queue: Queue;

  constructor(
    readonly name: Q,
    options: ProducerOptions,
  ) {
    this.queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
    this.queue.on('error', () => {
      /* connection errors are logged by the connection's own listener */
    });
  }

  private toBulk(name: string, payload: unknown, options: EnqueueOptions = {}) {
    const entry = catalogEntry(this.name, name);
    return {
      name,
      data: entry.payload.parse(payload),
      opts: { ...entry.options, ...options } as JobsOptions,
    };
  }

  /** Adds one job. Throws `AppError('unavailable')` when Redis cannot take it. */
  async enqueue<N extends JobNameOf<Q>>(
    name: N,
    payload: PayloadOf<Q, N>,
    options?: EnqueueOptions,
  ) {
    const job = this.toBulk(name, payload, options);
    try {
      return await this.queue.add(job.name, job.data, job.opts);
    } catch (error) {
      throw new AppError('unavailable', 'The job queue is unavailable; try again shortly.', {
        cause: error,
      });
    }
  }

  /** Adds many jobs in one round trip (BullMQ `addBulk`). */
  async enqueueBulk<N extends JobNameOf<Q>>(items: BulkItem<Q, N>[]) {
    if (items.length === 0) return [];
    const jobs = items.map((item) => this.toBulk(item.name, item.payload, item.options));
    try {
      return await this.queue.addBulk(jobs);
    } catch (error) {
      throw new AppError('unavailable', 'The job queue is unavailable; try again shortly.', {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

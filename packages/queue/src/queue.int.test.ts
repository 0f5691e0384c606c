import { QueueEvents } from 'bullmq';
import { createLogger } from '@shortlist/observability';
import { TEST_REDIS_URL, deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import { PassThrough } from 'node:stream';
import { Producer, createRedis, createWorker, type ProcessorMap } from './index';

const logger = createLogger({ component: 'queue-test', stream: new PassThrough() });

describe('typed queues on the real Redis', () => {
  const prefix = uniquePrefix('q');
  const producerConnection = createRedis(TEST_REDIS_URL, 'producer');
  const workerConnection = createRedis(TEST_REDIS_URL, 'worker');
  const producer = new Producer('resume-analysis', { connection: producerConnection, prefix });

  afterAll(async () => {
    await producer.close();
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await producerConnection.quit();
    await workerConnection.quit();
  });

  it('refuses to build a worker when a job of the queue has no processor', () => {
    expect(() =>
      createWorker({
        queue: 'resume-analysis',
        processors: {} as ProcessorMap<'resume-analysis'>,
        connection: workerConnection,
        prefix,
        concurrency: 1,
        logger,
      }),
    ).toThrow('queue "resume-analysis" has no processor for: analyse-resume');
  });

  it('rejects a payload that does not match the catalog before it reaches Redis', async () => {
    await expect(
      producer.enqueue('analyse-resume', { userId: 'u', resumeId: 'r' } as never),
    ).rejects.toThrow(/jobId|batchId|jobVersion/);
    expect(await producer.queue.count()).toBe(0);
  });

  it('delivers a valid payload to the processor once, with catalog defaults, and dedups by job id', async () => {
    const seen: string[] = [];
    const worker = createWorker({
      queue: 'resume-analysis',
      processors: {
        'analyse-resume': async (payload) => {
          seen.push(payload.resumeId);
          return 'ok';
        },
      },
      connection: workerConnection,
      prefix,
      concurrency: 2,
      logger,
    });
    const events = new QueueEvents('resume-analysis', {
      connection: { url: TEST_REDIS_URL },
      prefix,
    });
    await events.waitUntilReady();
    const payload = { userId: 'u1', resumeId: 'r1', jobId: 'j1', batchId: 'b1', jobVersion: 1 };
    const [job] = await producer.enqueueBulk([
      { name: 'analyse-resume', payload, options: { jobId: 'r1-v1' } },
      { name: 'analyse-resume', payload, options: { jobId: 'r1-v1' } },
    ]);
    expect(job!.opts.attempts).toBe(6);
    void worker.run();
    await job!.waitUntilFinished(events, 10_000);
    await worker.close();
    await events.close();
    expect(seen).toEqual(['r1']);
  });
});

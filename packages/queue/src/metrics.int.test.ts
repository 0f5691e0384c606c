import { createRegistry } from '@shortlist/observability';
import { TEST_REDIS_URL, deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import { Producer, createRedis, readQueueDepth, registerQueueMetrics } from './index';

describe('queue depth on the real Redis', () => {
  const prefix = uniquePrefix('qdepth');
  const connection = createRedis(TEST_REDIS_URL, 'producer');
  const producer = new Producer('resume-analysis', { connection, prefix });

  afterAll(async () => {
    await producer.close();
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await connection.quit();
  });

  it('counts waiting jobs (prioritized included) and ages the oldest one', async () => {
    const empty = await readQueueDepth(producer.queue);
    expect(empty).toMatchObject({ waiting: 0, active: 0, oldestWaitingSeconds: 0 });

    const payload = (i: number) => ({
      userId: 'u1',
      resumeId: `r${i}`,
      jobId: 'j1',
      batchId: 'b1',
      jobVersion: 1,
    });
    await producer.enqueueBulk([
      { name: 'analyse-resume', payload: payload(1), options: { jobId: 'r1' } },
      { name: 'analyse-resume', payload: payload(2), options: { jobId: 'r2' } },
      { name: 'analyse-resume', payload: payload(3), options: { jobId: 'r3', priority: 5 } },
    ]);
    const inTenSeconds = Date.now() + 10_000;
    const depth = await readQueueDepth(producer.queue, inTenSeconds);
    expect(depth.waiting).toBe(3);
    expect(depth.counts.prioritized).toBe(1);
    expect(depth.oldestWaitingSeconds).toBeGreaterThanOrEqual(9);
    expect(depth.oldestWaitingSeconds).toBeLessThan(60);

    const registry = createRegistry('queue-test');
    registerQueueMetrics(registry, [producer.queue]);
    const text = await registry.metrics();
    expect(text).toMatch(
      /shortlist_queue_jobs\{queue="resume-analysis",state="waiting",app="queue-test"\} 2/,
    );
    expect(text).toMatch(
      /shortlist_queue_jobs\{queue="resume-analysis",state="prioritized",app="queue-test"\} 1/,
    );
    expect(text).toMatch(
      /shortlist_queue_oldest_job_age_seconds\{queue="resume-analysis",app="queue-test"\} \d/,
    );
  });
});

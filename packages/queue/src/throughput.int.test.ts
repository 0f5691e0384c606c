import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from '@shortlist/testkit';
import { THROUGHPUT_TTL_SECONDS, createRedis, readThroughput, recordThroughput } from './index';
import { throughputKey } from './throughput';

describe('per-minute throughput counters (real Redis)', () => {
  const prefix = uniquePrefix('tput');
  const redis = createRedis(TEST_REDIS_URL, 'worker');
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('counts outcomes per minute for the tenant and the job, with zeros for quiet minutes', async () => {
    const t0 = new Date('2026-11-25T10:00:10Z');
    const t2 = new Date('2026-11-25T10:02:59Z');
    const outcome = { userId: 'usr_a', jobId: 'job_1', at: t0 };
    await recordThroughput(redis, prefix, {
      ...outcome,
      status: 'done',
      cached: false,
      costUsd: 0.002,
    });
    await recordThroughput(redis, prefix, { ...outcome, status: 'done', cached: true });
    await recordThroughput(redis, prefix, { ...outcome, status: 'failed', cached: false });
    await recordThroughput(redis, prefix, {
      ...outcome,
      jobId: 'job_2',
      at: t2,
      status: 'done',
      cached: false,
    });
    await recordThroughput(redis, prefix, {
      ...outcome,
      userId: 'usr_b',
      status: 'done',
      cached: false,
    });

    const tenant = await readThroughput(redis, prefix, 'usr_a', null, { minutes: 4, now: t2 });
    expect(tenant).toEqual([
      { minute: '2026-11-25T09:59:00.000Z', done: 0, failed: 0, cached: 0, costUsd: 0 },
      { minute: '2026-11-25T10:00:00.000Z', done: 2, failed: 1, cached: 1, costUsd: 0.002 },
      { minute: '2026-11-25T10:01:00.000Z', done: 0, failed: 0, cached: 0, costUsd: 0 },
      { minute: '2026-11-25T10:02:00.000Z', done: 1, failed: 0, cached: 0, costUsd: 0 },
    ]);
    const job = await readThroughput(redis, prefix, 'usr_a', 'job_1', { minutes: 3, now: t2 });
    expect(job.map((p) => p.done)).toEqual([2, 0, 0]);
    const other = await readThroughput(redis, prefix, 'usr_b', null, { minutes: 3, now: t2 });
    expect(other.map((p) => p.done)).toEqual([1, 0, 0]);
    const ttl = await redis.ttl(
      throughputKey(prefix, 'usr_a', null, Math.floor(t0.getTime() / 60_000)),
    );
    expect(ttl).toBeGreaterThan(THROUGHPUT_TTL_SECONDS - 60);
  });
});

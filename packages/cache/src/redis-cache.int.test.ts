import { TEST_REDIS_URL, deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import { Redis } from 'ioredis';
import { analysisKey, criteriaKey, jobKey, noteKey } from './keys';
import { MAX_BUCKET_MEMBERS, MAX_CANDIDATES, NearDuplicateIndex } from './near-duplicates';
import { RedisCache } from './redis-cache';
import { candidateIdentity, minhash } from './similarity';

const key = (jobId: string, text: string, promptVersion = 'p1', jobVersion = 1) =>
  analysisKey({ jobId, jobVersion, model: 'm', promptVersion, blind: false, textHash: text });

describe('RedisCache on the real Redis', () => {
  const prefix = uniquePrefix('cache');
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(redis);
    return redis;
  };
  let n = 0;
  const fresh = (options: Partial<ConstructorParameters<typeof RedisCache>[0]> = {}) =>
    new RedisCache({ redis: connect(), prefix: `${prefix}-${++n}`, ...options });

  afterAll(async () => {
    const redis = testRedis();
    for (let i = 1; i <= n; i++) await deletePrefix(redis, `${prefix}-${i}`);
    await redis.quit();
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('stores JSON values and counts hits, misses, bytes and entries per namespace', async () => {
    const cache = fresh();
    expect(await cache.get(key('job_1', 'a'))).toBeUndefined();
    await cache.set(key('job_1', 'a'), { score: 80 });
    expect(await cache.get(key('job_1', 'a'))).toEqual({ score: 80 });
    await cache.set(jobKey({ jobId: 'job_1', jobVersion: 1 }), { criteria: [] });
    const stats = await cache.stats();
    expect(stats.analysis).toMatchObject({ hits: 1, misses: 1, entries: 1, shared: 0 });
    expect(stats.analysis.bytes).toBe(
      JSON.stringify({ score: 80 }).length +
        `${(cache as unknown as { options: { prefix: string } }).options.prefix}:cache:${key('job_1', 'a')}`
          .length,
    );
    expect(stats.job.entries).toBe(1);
    expect(stats.criteria).toMatchObject({ hits: 0, misses: 0, entries: 0, bytes: 0 });
  });

  it('looks up many keys in one call, counting each hit and miss', async () => {
    const cache = fresh();
    const note = (resumeId: string) =>
      noteKey({
        jobId: 'job_1',
        jobVersion: 1,
        resumeId,
        resumeHash: 'ab',
        writer: 'local-v2',
        templateHash: 't',
      });
    await cache.set(note('res_1'), { note: 'Your Go stood out.' });
    await cache.set(note('res_3'), { note: null });
    expect(await cache.getMany([note('res_1'), note('res_2'), note('res_3')])).toEqual([
      { note: 'Your Go stood out.' },
      undefined,
      { note: null },
    ]);
    expect(await cache.getMany([])).toEqual([]);
    expect((await cache.stats()).note).toMatchObject({ hits: 2, misses: 1, entries: 2 });
  });

  it('expires entries after the namespace TTL and takes them off the books', async () => {
    const cache = fresh({ policies: { analysis: { ttlSeconds: 1 } } });
    await cache.set(key('job_1', 'short-lived'), 'x');
    expect((await cache.stats()).analysis.entries).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await cache.get(key('job_1', 'short-lived'))).toBeUndefined();
    expect((await cache.stats()).analysis).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('keeps a namespace under its byte budget by evicting the least recently used entries', async () => {
    const cache = fresh({ policies: { analysis: { maxBytes: 3_000 } } });
    const value = 'v'.repeat(300);
    for (let i = 0; i < 5; i++) await cache.set(key('job_1', `t${i}`), value);
    expect(await cache.get(key('job_1', 't0'))).toBe(value); // t0 is now the most recently used
    for (let i = 5; i < 10; i++) await cache.set(key('job_1', `t${i}`), value);
    const stats = await cache.stats();
    expect(stats.analysis.bytes).toBeLessThanOrEqual(3_000);
    expect(stats.analysis.evictions).toBeGreaterThan(0);
    expect(stats.analysis.entries).toBe(10 - stats.analysis.evictions);
    expect(await cache.get(key('job_1', 't0'))).toBe(value);
    expect(await cache.get(key('job_1', 't1'))).toBeUndefined();
    expect(await cache.get(key('job_1', 't9'))).toBe(value);
  });

  it('invalidates by job, by prompt version, and all', async () => {
    const cache = fresh();
    await cache.set(key('job_1', 'a'), 1);
    await cache.set(key('job_1', 'b', 'p2'), 2);
    await cache.set(key('job_10', 'a'), 3);
    await cache.set(jobKey({ jobId: 'job_1', jobVersion: 1 }), 4);
    await cache.set(criteriaKey({ model: 'm', promptVersion: 'p2', description: 'Go dev' }), 5);
    expect(await cache.invalidate({ kind: 'job', jobId: 'job_1' })).toBe(3);
    expect(await cache.get(key('job_10', 'a'))).toBe(3);
    expect(await cache.invalidate({ kind: 'promptVersion', promptVersion: 'p2' })).toBe(1);
    expect((await cache.stats()).criteria.entries).toBe(0);
    expect(await cache.invalidate({ kind: 'all' })).toBe(1);
    const stats = await cache.stats();
    expect(stats.analysis).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('computes a key once when many callers in two processes race on it', async () => {
    const shared = `${prefix}-race`;
    const a = new RedisCache({ redis: connect(), prefix: shared });
    const b = new RedisCache({ redis: connect(), prefix: shared });
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 150));
      return { score: 42 };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).getOrCompute(key('job_1', 'same'), compute),
      ),
    );
    expect(calls).toBe(1);
    expect(results.every((r) => r.value.score === 42)).toBe(true);
    expect(results.filter((r) => r.source === 'computed')).toHaveLength(1);
    const stats = (await a.stats()).analysis;
    expect(stats).toMatchObject({ misses: 1, shared: 9 });
    const cleaner = testRedis();
    await deletePrefix(cleaner, shared);
    await cleaner.quit();
  });

  it('lets a waiter compute when the holder fails, and does not cache values it is told to skip', async () => {
    const cache = fresh();
    const k = key('job_1', 'flaky');
    let calls = 0;
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const first = cache.getOrCompute(k, async () => {
      calls++;
      started();
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('provider down');
    });
    const other = new RedisCache({ redis: connect(), prefix: `${prefix}-${n}` });
    await holding;
    const second = other.getOrCompute(k, async () => {
      calls++;
      return 'fresh';
    });
    await expect(first).rejects.toThrow('provider down');
    expect(await second).toEqual({ value: 'fresh', source: 'computed' });
    expect(calls).toBe(2);
    const skipped = await cache.getOrCompute(
      key('job_1', 'skip'),
      async () => 'no',
      () => false,
    );
    expect(skipped.source).toBe('computed');
    expect(await cache.get(key('job_1', 'skip'))).toBeUndefined();
  });

  it('takes over a key whose lock holder died without releasing it', async () => {
    const cache = fresh({ lockTtlMs: 300 });
    const k = key('job_1', 'orphan');
    const redis = connect();
    await redis.set(`${prefix}-${n}:cachelock:${k}`, 'dead-worker', 'PX', 300);
    const result = await cache.getOrCompute(k, async () => 'recovered');
    expect(result).toEqual({ value: 'recovered', source: 'computed' });
  });
});

describe('NearDuplicateIndex on the real Redis', () => {
  const prefix = uniquePrefix('sim');
  const redis = new Redis(TEST_REDIS_URL);
  const index = new NearDuplicateIndex({ redis, prefix, ttlSeconds: 60 });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  const body = Array.from({ length: 40 }, (_, i) => `Led migration ${i} of billing service.`).join(
    '\n',
  );

  it('finds earlier near-duplicates of the same job only, best first', async () => {
    await index.add('job_1', {
      textHash: 'h1',
      resumeId: 'res_1',
      signature: minhash(`jane@example.com\n${body}`),
      identity: candidateIdentity('jane@example.com'),
    });
    const found = await index.find('job_1', minhash(`JANE@example.com\n${body}`), {
      minSimilarity: 0.8,
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resumeId: 'res_1', textHash: 'h1' });
    expect(found[0]!.similarity).toBeGreaterThan(0.95);
    expect(await index.find('job_2', minhash(body), { minSimilarity: 0.8 })).toEqual([]);
    expect(
      await index.find('job_1', minhash(body), { minSimilarity: 0.8, excludeTextHash: 'h1' }),
    ).toEqual([]);
    expect(await index.invalidate('job_1')).toBeGreaterThan(0);
    expect(await index.find('job_1', minhash(body), { minSimilarity: 0.5 })).toEqual([]);
  });

  it('bounds a lookup in a job of look-alike resumes, and still finds the same candidate', async () => {
    // 300 resumes from one template: every one is a near-duplicate of every other.
    const template = (i: number) =>
      `Candidate ${i}\ncandidate${i}@example.com\n${body}\nYears: ${i % 9}`;
    for (let i = 0; i < 300; i++) {
      await index.add('job_tpl', {
        textHash: `t${i}`,
        resumeId: `res_t${i}`,
        signature: minhash(template(i)),
        identity: candidateIdentity(`candidate${i}@example.com`),
      });
    }
    const mget = jest.spyOn(redis, 'mget');
    const found = await index.find('job_tpl', minhash(template(7)), {
      minSimilarity: 0.8,
      excludeTextHash: 'none',
    });
    // Signatures compared: a fixed number, not every earlier resume of the job.
    expect(mget.mock.calls[0]!.length).toBeLessThanOrEqual(MAX_CANDIDATES);
    mget.mockRestore();
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(MAX_CANDIDATES);
    // The candidate's own earlier resume is among the best matches.
    expect(found[0]).toMatchObject({ resumeId: 'res_t7', similarity: 1 });
    // No band bucket grows past its cap.
    const buckets = await redis.keys(`${prefix}:sim:job_tpl:band:*`);
    const sizes = await Promise.all(buckets.map((k) => redis.scard(k)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BUCKET_MEMBERS);
  });
});

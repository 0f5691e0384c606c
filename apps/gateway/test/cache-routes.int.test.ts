import request from 'supertest';
import { NearDuplicateIndex, RedisCache, analysisKey, jobKey } from '@shortlist/cache';
import { createRegistry } from '@shortlist/observability';
import { createRedis } from '@shortlist/queue';
import { TEST_REDIS_URL } from '@shortlist/testkit';
import { createApp } from '../src/app';
import { createUserWithKey } from '../src/auth';
import { gatewayHarness } from './harness';

describe('cache routes: stats, invalidation and job warming', () => {
  let h: Awaited<ReturnType<typeof gatewayHarness>>;
  let app: ReturnType<typeof createApp>;
  let cache: RedisCache;
  let admin: string;
  const redis = createRedis(TEST_REDIS_URL, 'worker');

  beforeAll(async () => {
    h = await gatewayHarness();
    cache = new RedisCache({ redis, prefix: h.prefix });
    app = createApp({
      ...h.deps,
      registry: createRegistry('gateway-cache-test'),
      cache: {
        cache,
        nearDuplicates: new NearDuplicateIndex({ redis, prefix: h.prefix, ttlSeconds: 60 }),
      },
    });
    admin = `Bearer ${(await createUserWithKey(h.store, { name: 'Ops', role: 'admin' })).apiKey}`;
  });
  afterAll(async () => {
    await h.close();
    await redis.quit();
  });

  const createJob = async (auth: string) =>
    (
      await request(app)
        .post('/v1/jobs')
        .set('authorization', auth)
        .send({ title: 'Backend', description: 'Node.js services in TypeScript with Redis.' })
        .expect(201)
    ).body as { id: string; version: number };
  const entry = (jobId: string, text: string, promptVersion = 'p1') =>
    analysisKey({ jobId, jobVersion: 1, model: 'm', promptVersion, blind: false, textHash: text });

  it('warms the job when it is created and edited', async () => {
    const job = await createJob(h.alice.auth);
    expect(await cache.peek(jobKey({ jobId: job.id, jobVersion: 1 }))).toMatchObject({
      id: job.id,
      userId: h.alice.id,
    });
    await request(app)
      .patch(`/v1/jobs/${job.id}`)
      .set('authorization', h.alice.auth)
      .send({ criteria: [{ name: 'Kafka', weight: 2 }] })
      .expect(200);
    expect(await cache.peek(jobKey({ jobId: job.id, jobVersion: 2 }))).toMatchObject({
      version: 2,
      criteria: [{ name: 'Kafka', weight: 2, required: false }],
    });
  });

  it('shows per-namespace stats to admins only', async () => {
    await cache.set(entry('job_x', 'a'), { score: 1 });
    await cache.get(entry('job_x', 'a'));
    await cache.get(entry('job_x', 'missing'));
    const res = await request(app).get('/v1/cache/stats').set('authorization', admin).expect(200);
    expect(res.body.namespaces.analysis).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect(res.body.namespaces.analysis.bytes).toBeGreaterThan(0);
    expect(res.body.namespaces.job.entries).toBeGreaterThanOrEqual(2);
    const member = await request(app).get('/v1/cache/stats').set('authorization', h.alice.auth);
    expect(member.status).toBe(403);
    expect(member.type).toBe('application/problem+json');
  });

  it("lets a job's owner invalidate its entries, and nobody else", async () => {
    const job = await createJob(h.alice.auth);
    await cache.set(entry(job.id, 'a'), 1);
    await cache.set(entry(job.id, 'b'), 2);
    const other = await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', h.bob.auth)
      .send({ scope: 'job', jobId: job.id });
    expect(other.status).toBe(404);
    expect(await cache.peek(entry(job.id, 'a'))).toBe(1);
    const res = await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', h.alice.auth)
      .send({ scope: 'job', jobId: job.id })
      .expect(200);
    expect(res.body).toEqual({ scope: 'job', deleted: 3 }); // two analyses and the warmed job
    expect(await cache.peek(entry(job.id, 'a'))).toBeUndefined();
  });

  it('invalidates by prompt version and all for admins, and explains bad requests', async () => {
    await cache.set(entry('job_y', 'a', 'old-prompt'), 1);
    await cache.set(entry('job_y', 'b', 'new-prompt'), 2);
    const forbidden = await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', h.alice.auth)
      .send({ scope: 'all' });
    expect(forbidden.status).toBe(403);
    const byPrompt = await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', admin)
      .send({ scope: 'promptVersion', promptVersion: 'old-prompt' })
      .expect(200);
    expect(byPrompt.body.deleted).toBe(1);
    expect(await cache.peek(entry('job_y', 'b', 'new-prompt'))).toBe(2);
    await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', admin)
      .send({ scope: 'all' })
      .expect(200);
    expect((await cache.stats()).analysis.entries).toBe(0);
    const bad = await request(app)
      .post('/v1/cache/invalidate')
      .set('authorization', admin)
      .send({ scope: 'job' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field ?? bad.body.field).toBe('jobId');
  });
});

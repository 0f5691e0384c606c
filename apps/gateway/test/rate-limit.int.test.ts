import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { gatewayHarness, type Harness } from './harness';
import { createJob } from './helpers';

describe('rate limits and quota shared by two replicas (real Redis)', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const rateLimits = { readsPerMinute: 5, resumesPerHour: 6, perIpPerMinute: 1_000 };
    a = await gatewayHarness({ rateLimits });
    b = await gatewayHarness({ rateLimits, prefix: a.prefix, dir: a.dir });
  });
  afterAll(async () => {
    await b.close({ keepData: true });
    await a.close();
  });

  it('counts reads on both replicas together and answers 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? a.app : b.app;
      const res = await request(app).get('/v1/jobs').set('authorization', a.bob.auth).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      remaining.push(res.headers['ratelimit-remaining']!);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const limited = await request(b.app)
      .get('/v1/jobs')
      .set('authorization', a.bob.auth)
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'rate_limited', limit: 5 });
    // Another credential and another route class have their own budgets.
    await request(a.app).get('/v1/jobs').set('authorization', a.admin.auth).expect(200);
    await request(a.app)
      .post('/v1/jobs')
      .set('authorization', a.bob.auth)
      .send({ title: 'Still allowed', description: 'Writes have their own budget per minute.' })
      .expect(201);
  });

  it('answers 429 naming the remaining quota when a batch is larger than what remains, keeping nothing', async () => {
    const jobId = await createJob(a);
    const texts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ fileName: `q${i}.txt`, text: `quota ${n} ${i}` }));
    await request(a.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', a.alice.auth)
      .send({ resumes: texts(4) })
      .expect(202);
    const blobsBefore = (await readdir(join(a.dir, 'blobs'), { recursive: true })).length;
    const tooMany = await request(b.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', a.alice.auth)
      .send({ resumes: texts(3) })
      .expect(429);
    expect(tooMany.body).toMatchObject({ code: 'rate_limited', remaining: 2, limit: 6 });
    expect(tooMany.body.detail).toMatch(/2 more resumes/);
    expect(Number(tooMany.headers['retry-after'])).toBeGreaterThan(0);
    const multipart = await request(a.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', a.alice.auth)
      .attach('files', Buffer.from('m1 TypeScript'), 'm1.txt')
      .attach('files', Buffer.from('m2 TypeScript'), 'm2.txt')
      .attach('files', Buffer.from('m3 TypeScript'), 'm3.txt')
      .expect(429);
    expect(multipart.body.remaining).toBe(2);
    expect((await readdir(join(a.dir, 'blobs'), { recursive: true })).length).toBe(blobsBefore);
    const batches = await request(a.app)
      .get(`/v1/jobs/${jobId}/batches`)
      .set('authorization', a.alice.auth)
      .expect(200);
    expect(batches.body.items).toHaveLength(1);
    await request(b.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', a.alice.auth)
      .send({ resumes: texts(2) })
      .expect(202);
    const limits = await request(a.app).get('/v1/rate-limit').set('authorization', a.alice.auth);
    expect(limits.body.limits.find((l: { name: string }) => l.name === 'resumes')).toMatchObject({
      limit: 6,
      remaining: 0,
    });
  });
});

describe('client addresses behind proxies', () => {
  it('trusts X-Forwarded-For only as far as the configured proxy hops', async () => {
    const direct = await gatewayHarness({ rateLimits: { perIpPerMinute: 2 }, trustProxyHops: 0 });
    const proxied = await gatewayHarness({ rateLimits: { perIpPerMinute: 2 }, trustProxyHops: 1 });
    try {
      const call = (h: Harness, xff: string) =>
        request(h.app).get('/v1/me').set('authorization', h.alice.auth).set('x-forwarded-for', xff);
      // Without trusted proxies a client cannot dodge its limit by inventing addresses.
      await call(direct, '203.0.113.1').expect(200);
      await call(direct, '203.0.113.2').expect(200);
      await call(direct, '203.0.113.3').expect(429);
      // Behind one proxy, the address the proxy saw is the client; a spoofed first hop is ignored.
      await call(proxied, 'spoofed, 198.51.100.1').expect(200);
      await call(proxied, 'other-spoof, 198.51.100.1').expect(200);
      await call(proxied, '198.51.100.1').expect(429);
      await call(proxied, '198.51.100.2').expect(200);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

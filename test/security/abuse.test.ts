import request from 'supertest';
import { gatewayHarness, type Harness } from '../../apps/gateway/test/harness';

/**
 * Abuse of the API: guessing keys, dodging rate limits with a forged X-Forwarded-For, and bodies
 * built to hurt the parser. Real gateway app, real Redis (private prefix).
 */
describe('security: API-key brute force is slowed and logged without the key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness({ extra: { authFailures: { maxFailures: 5, windowSeconds: 60 } } });
  });
  afterAll(() => h.close());

  it('locks an address out after 5 wrong keys, even for a right key, and never logs a guess', async () => {
    const guesses = Array.from({ length: 5 }, (_, i) => `sl_guess${i}_${'x'.repeat(30)}`);
    for (const guess of guesses) {
      const res = await request(h.app).get('/v1/me').set('authorization', `Bearer ${guess}`);
      expect(res.status).toBe(401);
    }
    const locked = await request(h.app).get('/v1/me').set('authorization', h.alice.auth);
    expect(locked.status).toBe(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body.detail).toMatch(/rejected credentials/);

    const logs = h.logs.join('');
    expect(logs.match(/credential rejected/g)).toHaveLength(5);
    expect(logs).toContain('"lockedOut":true');
    for (const guess of guesses) expect(logs).not.toContain(guess.slice(3, 12));
    expect(logs).not.toContain(h.alice.key.slice(3));
  });
});

describe('security: spoofed X-Forwarded-For does not reset per-address limits', () => {
  it('with no trusted proxy, every forged address still counts as the socket address', async () => {
    const h = await gatewayHarness({ rateLimits: { perIpPerMinute: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await request(h.app)
          .get('/v1/me')
          .set('authorization', h.alice.auth)
          .set('x-forwarded-for', `203.0.113.${i + 1}`);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await h.close();
    }
  });

  it('behind one trusted proxy, only the address the proxy saw counts (forged ones to its left do not)', async () => {
    const h = await gatewayHarness({ rateLimits: { perIpPerMinute: 3 }, trustProxyHops: 1 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await request(h.app)
          .get('/v1/me')
          .set('authorization', h.alice.auth)
          // The client forges the first entry; the proxy appends the real address last.
          .set('x-forwarded-for', `198.51.100.${i + 1}, 192.0.2.7`);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Another real client behind the same proxy has its own budget.
      await request(h.app)
        .get('/v1/me')
        .set('authorization', h.alice.auth)
        .set('x-forwarded-for', '192.0.2.8')
        .expect(200);
    } finally {
      await h.close();
    }
  });

  it('the failed-key lock-out cannot be dodged with a forged address either', async () => {
    const h = await gatewayHarness({
      extra: { authFailures: { maxFailures: 2, windowSeconds: 60 } },
    });
    try {
      for (let i = 0; i < 2; i++)
        await request(h.app)
          .get('/v1/me')
          .set('authorization', 'Bearer sl_wrong_key_000000000000')
          .set('x-forwarded-for', `203.0.113.${i}`)
          .expect(401);
      await request(h.app)
        .get('/v1/me')
        .set('authorization', h.alice.auth)
        .set('x-forwarded-for', '203.0.113.99')
        .expect(429);
    } finally {
      await h.close();
    }
  });
});

describe('security: request body size and JSON depth limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness({ extra: { jsonLimits: { maxBytes: 64 * 1024, maxDepth: 32 } } });
  });
  afterAll(() => h.close());

  it('answers 413 problem+json to a JSON body over the size limit', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ title: 't', description: 'd'.repeat(100 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'payload_too_large', field: 'body' });
  });

  it('answers 400 problem+json to JSON nested 10,000 deep, and to 33 levels', async () => {
    for (const depth of [10_000, 33]) {
      const body = `{"title":"t","description":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await request(h.app)
        .post('/v1/jobs')
        .set('authorization', h.alice.auth)
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/nested deeper than 32 levels/);
    }
    // Ordinary bodies still work.
    await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send({ title: 'Engineer', description: 'A job description long enough to be accepted.' })
      .expect(201);
  });

  it('answers 400 problem+json to malformed JSON', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .set('content-type', 'application/json')
      .send('{"title": "unterminated');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

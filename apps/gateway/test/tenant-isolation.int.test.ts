import request from 'supertest';
import { Readable } from 'node:stream';
import { newId, resumeTextKey } from '@shortlist/contracts';
import { gatewayHarness, type Harness } from './harness';
import { createJob, finishResume, uploadTexts } from './helpers';
import { appRoutes } from './routes';

type Ids = Record<
  'jobId' | 'batchId' | 'resumeId' | 'emailId' | 'address' | 'userId' | 'keyId',
  string
>;
type Probe = (h: Harness, ids: Ids) => Promise<void>;

/**
 * Every route of the app must be listed here with how it keeps tenants apart; a route added
 * without an entry fails the first test. `byId` routes are called by Bob with Alice's ids and
 * must answer 404 (403 for admin-only routes); the others have a probe of their own.
 */
const TABLE: Record<string, 'public' | 'byId' | 'admin' | Probe> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  // A signed token names the recipient; no tenant credential is involved (link in every email).
  'GET /v1/unsubscribe/:token': 'public',
  'POST /v1/unsubscribe/:token': 'public',
  'GET /v1/me': async (h) => {
    const res = await request(h.app).get('/v1/me').set('authorization', h.bob.auth).expect(200);
    expect(res.body.userId).toBe(h.bob.id);
  },
  'GET /v1/rate-limit': async (h) => {
    await request(h.app).get('/v1/rate-limit').set('authorization', h.bob.auth).expect(200);
  },
  'POST /v1/jobs': async (h) => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.bob.auth)
      .send({ title: 'Bob job', description: 'A job description that is long enough.' })
      .expect(201);
    expect(res.body.userId).toBe(h.bob.id);
  },
  'GET /v1/jobs': async (h, ids) => {
    const res = await request(h.app).get('/v1/jobs').set('authorization', h.bob.auth).expect(200);
    expect(JSON.stringify(res.body)).not.toContain(ids.jobId);
  },
  'GET /v1/jobs/:jobId': 'byId',
  'PATCH /v1/jobs/:jobId': 'byId',
  'DELETE /v1/jobs/:jobId': 'byId',
  'GET /v1/jobs/:jobId/resumes': 'byId',
  'GET /v1/jobs/:jobId/resumes.csv': 'byId',
  'GET /v1/jobs/:jobId/stats': 'byId',
  'GET /v1/jobs/:jobId/emails': 'byId',
  'POST /v1/jobs/:jobId/batches': 'byId',
  'GET /v1/jobs/:jobId/batches': 'byId',
  'GET /v1/batches/:batchId': 'byId',
  'GET /v1/batches/:batchId/events': 'byId',
  'GET /v1/resumes/:resumeId': 'byId',
  'GET /v1/resumes/:resumeId/file': 'byId',
  'GET /v1/resumes/:resumeId/text': 'byId',
  'DELETE /v1/resumes/:resumeId': 'byId',
  'POST /v1/resumes/:resumeId/reanalyze': 'byId',
  'GET /v1/resumes/:resumeId/emails': 'byId',
  'GET /v1/emails/:emailId': 'byId',
  'POST /v1/emails/:emailId/cancel': 'byId',
  'DELETE /v1/opt-outs/:address': 'byId',
  'GET /v1/audit': async (h) => {
    // Bob has erased nothing: his trail is empty whatever Alice did.
    const res = await request(h.app).get('/v1/audit').set('authorization', h.bob.auth).expect(200);
    expect(res.body.items).toEqual([]);
  },
  'GET /v1/stats': async (h) => {
    const res = await request(h.app).get('/v1/stats').set('authorization', h.bob.auth).expect(200);
    expect(res.body.total).toBe(0);
  },
  'POST /v1/emails': async (h, ids) => {
    const res = await request(h.app)
      .post('/v1/emails')
      .set('authorization', h.bob.auth)
      .send({ resumeIds: [ids.resumeId], kind: 'invite' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.results[0].error.code).toBe('not_found');
  },
  'POST /v1/emails/preview': async (h, ids) => {
    await request(h.app)
      .post('/v1/emails/preview')
      .set('authorization', h.bob.auth)
      .send({ resumeId: ids.resumeId, kind: 'invite' })
      .expect(404);
  },
  'GET /v1/emails': async (h, ids) => {
    const res = await request(h.app).get('/v1/emails').set('authorization', h.bob.auth).expect(200);
    expect(JSON.stringify(res.body)).not.toContain(ids.emailId);
  },
  'POST /v1/emails/cancel': async (h, ids) => {
    const res = await request(h.app)
      .post('/v1/emails/cancel')
      .set('authorization', h.bob.auth)
      .send({ emailIds: [ids.emailId] })
      .expect(200);
    expect(res.body.cancelled).toBe(0);
    expect((await h.store.emails.get(h.alice.id, ids.emailId))?.status).toBe('queued');
  },
  'GET /v1/email-settings': async (h) => {
    const res = await request(h.app)
      .get('/v1/email-settings')
      .set('authorization', h.bob.auth)
      .expect(200);
    expect(res.body.name).not.toBe('Alice Corp');
  },
  'PUT /v1/email-settings': async (h) => {
    await request(h.app)
      .put('/v1/email-settings')
      .set('authorization', h.bob.auth)
      .send({ name: 'Bob Inc', signature: 'Bob' })
      .expect(200);
    expect((await h.store.companies.get(h.alice.id))?.name).toBe('Alice Corp');
  },
  'GET /v1/opt-outs': async (h, ids) => {
    const res = await request(h.app)
      .get('/v1/opt-outs')
      .set('authorization', h.bob.auth)
      .expect(200);
    expect(JSON.stringify(res.body)).not.toContain(ids.address);
  },
  'POST /v1/opt-outs': async (h, ids) => {
    await request(h.app)
      .post('/v1/opt-outs')
      .set('authorization', h.bob.auth)
      .send({ addresses: ['bob.optout@example.com'] })
      .expect(200);
    const alice = await h.store.optOuts.list(h.alice.id, {});
    expect(alice.items.map((o) => o.address)).toEqual([ids.address]);
  },
  'POST /v1/admin/users': 'admin',
  'GET /v1/admin/users/:userId/keys': 'admin',
  'POST /v1/admin/users/:userId/keys': 'admin',
  'POST /v1/admin/users/:userId/keys/:keyId/rotate': 'admin',
  'DELETE /v1/admin/users/:userId/keys/:keyId': 'admin',
  'GET /v1/queues': 'admin',
  'GET /v1/cache/stats': 'admin',
  'POST /v1/cache/invalidate': 'byId',
};

const BODIES: Record<string, (ids: Ids) => object> = {
  'PATCH /v1/jobs/:jobId': () => ({ title: 'Taken over' }),
  'POST /v1/jobs/:jobId/batches': () => ({ resumes: [{ fileName: 'x.txt', text: 'x' }] }),
  'POST /v1/cache/invalidate': (ids) => ({ scope: 'job', jobId: ids.jobId }),
};

describe('tenant isolation on every route (table-driven)', () => {
  let h: Harness;
  let ids: Ids;
  beforeAll(async () => {
    h = await gatewayHarness();
    const jobId = await createJob(h);
    const { batchId, resumeIds } = await uploadTexts(h, jobId, ['Alice candidate, TypeScript']);
    await finishResume(h, h.alice.id, resumeIds[0]!, 80, 'shortlist', {
      candidate: { name: 'Cand Idate', email: 'cand@example.com', phone: null, links: [] },
    });
    const resume = await h.store.resumes.get(h.alice.id, resumeIds[0]!);
    await h.blobs.put(
      resumeTextKey(resume!.blobKey),
      Readable.from([Buffer.from('Alice candidate, TypeScript')]),
    );
    const at = new Date().toISOString();
    const emailId = newId('eml');
    await h.store.emails.createIfAbsent({
      id: emailId,
      userId: h.alice.id,
      resumeId: resumeIds[0]!,
      jobId,
      kind: 'invite',
      priority: 1,
      to: 'cand@example.com',
      subject: 's',
      text: 't',
      html: null,
      status: 'queued',
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: `${resumeIds[0]}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
      fromName: 'Alice Corp',
      replyTo: null,
      handedOffAt: null,
    });
    await h.store.companies.put({
      userId: h.alice.id,
      name: 'Alice Corp',
      signature: 'Alice',
      replyTo: null,
      schedulingLink: null,
      updatedAt: at,
    });
    const address = 'alice.optout@example.com';
    await h.store.optOuts.add({ userId: h.alice.id, address, reason: null, createdAt: at });
    const keyId = (await h.store.apiKeys.list(h.alice.id))[0]!.id;
    ids = { jobId, batchId, resumeId: resumeIds[0]!, emailId, address, userId: h.alice.id, keyId };
  });
  afterAll(() => h.close());

  it('has an isolation entry for every route the app serves', () => {
    const missing = appRoutes(h.app).filter((route) => !(route in TABLE));
    expect(missing).toEqual([]);
  });

  const entries = Object.entries(TABLE).filter(([, how]) => how !== 'public');
  it.each(entries)('%s keeps other tenants out', async (route, how) => {
    if (typeof how === 'function') return how(h, ids);
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace(/:(\w+)/g, (_m, name: keyof Ids) => encodeURIComponent(ids[name]));
    const body = BODIES[route]?.(ids);
    let call = request(h.app)[method.toLowerCase() as 'get'](url).set('authorization', h.bob.auth);
    if (body) call = call.send(body);
    const res = await call;
    expect({ route, status: res.status }).toEqual({ route, status: how === 'admin' ? 403 : 404 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("leaves Alice's data intact after Bob's attempts", async () => {
    const job = await request(h.app)
      .get(`/v1/jobs/${ids.jobId}`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(job.body.title).not.toBe('Taken over');
    const resume = await request(h.app)
      .get(`/v1/resumes/${ids.resumeId}`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(resume.body.status).toBe('done');
    const batches = await request(h.app)
      .get(`/v1/jobs/${ids.jobId}/batches`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(batches.body.items).toHaveLength(1);
  });
});

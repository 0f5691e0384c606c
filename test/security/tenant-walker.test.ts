import request from 'supertest';
import { newId } from '@shortlist/contracts';
import { buildOpenApi } from '../../apps/gateway/src/openapi/document';
import { gatewayHarness, type Harness } from '../../apps/gateway/test/harness';
import { createJob, finishResume, uploadTexts } from '../../apps/gateway/test/helpers';

type Ids = Record<
  'jobId' | 'batchId' | 'resumeId' | 'emailId' | 'address' | 'userId' | 'keyId' | 'token',
  string
>;

/**
 * How each documented route must treat Bob when he uses Alice's ids:
 * - `404` / `403`: that status, as problem+json (403 for admin-only routes);
 * - `own`: a route on the caller's own data (no id in the path): any non-5xx answer, with
 *   nothing of Alice's in it; `body` carries Alice's ids where the route takes them.
 * - `public`: no credential needed; must not show tenant data either.
 * A route in the OpenAPI document that is missing here fails the walk: a new route gets a
 * tenant check (an entry) before it can land.
 */
const FIXTURES: Record<
  string,
  { expect: 404 | 403 | 'own' | 'public'; body?: (ids: Ids) => object }
> = {
  'GET /healthz': { expect: 'public' },
  'GET /readyz': { expect: 'public' },
  'GET /metrics': { expect: 'public' },
  'GET /openapi.json': { expect: 'public' },
  'GET /docs': { expect: 'public' },
  // A candidate's unsubscribe link (signed token; this one is not genuine).
  'GET /v1/unsubscribe/{token}': { expect: 'public' },
  'POST /v1/unsubscribe/{token}': { expect: 'public' },
  'GET /v1/me': { expect: 'own' },
  'GET /v1/rate-limit': { expect: 'own' },
  'POST /v1/jobs': {
    expect: 'own',
    body: () => ({ title: 'Bob job', description: 'A job description long enough for the API.' }),
  },
  'GET /v1/jobs': { expect: 'own' },
  'GET /v1/jobs/{jobId}': { expect: 404 },
  'PATCH /v1/jobs/{jobId}': { expect: 404, body: () => ({ title: 'Taken over' }) },
  'DELETE /v1/jobs/{jobId}': { expect: 404 },
  'GET /v1/jobs/{jobId}/stats': { expect: 404 },
  'GET /v1/stats': { expect: 'own' },
  'GET /v1/audit': { expect: 'own' },
  'POST /v1/jobs/{jobId}/batches': {
    expect: 404,
    body: () => ({ resumes: [{ fileName: 'x.txt', text: 'Bob was here' }] }),
  },
  'GET /v1/jobs/{jobId}/batches': { expect: 404 },
  'GET /v1/batches/{batchId}': { expect: 404 },
  'GET /v1/batches/{batchId}/events': { expect: 404 },
  'GET /v1/jobs/{jobId}/resumes': { expect: 404 },
  'GET /v1/jobs/{jobId}/resumes.csv': { expect: 404 },
  'GET /v1/resumes/{resumeId}': { expect: 404 },
  'DELETE /v1/resumes/{resumeId}': { expect: 404 },
  'GET /v1/resumes/{resumeId}/file': { expect: 404 },
  'GET /v1/resumes/{resumeId}/text': { expect: 404 },
  'POST /v1/resumes/{resumeId}/reanalyze': { expect: 404 },
  'POST /v1/emails': {
    expect: 'own',
    body: (ids) => ({ kind: 'invite', resumeIds: [ids.resumeId] }),
  },
  'GET /v1/emails': { expect: 'own' },
  'POST /v1/emails/preview': {
    expect: 'own',
    body: (ids) => ({ kind: 'invite', resumeId: ids.resumeId }),
  },
  'GET /v1/jobs/{jobId}/emails': { expect: 404 },
  'GET /v1/resumes/{resumeId}/emails': { expect: 404 },
  'GET /v1/emails/{emailId}': { expect: 404 },
  'POST /v1/emails/{emailId}/cancel': { expect: 404 },
  'POST /v1/emails/cancel': { expect: 'own', body: (ids) => ({ emailIds: [ids.emailId] }) },
  'GET /v1/email-settings': { expect: 'own' },
  'PUT /v1/email-settings': { expect: 'own', body: () => ({ name: 'Bob Inc', signature: 'Bob' }) },
  'GET /v1/opt-outs': { expect: 'own' },
  'POST /v1/opt-outs': { expect: 'own', body: () => ({ addresses: ['bob.optout@example.com'] }) },
  'DELETE /v1/opt-outs/{address}': { expect: 404 },
  'POST /v1/admin/users': { expect: 403, body: () => ({ name: 'Mallory', role: 'admin' }) },
  'GET /v1/admin/users/{userId}/keys': { expect: 403 },
  'POST /v1/admin/users/{userId}/keys': { expect: 403 },
  'POST /v1/admin/users/{userId}/keys/{keyId}/rotate': { expect: 403 },
  'DELETE /v1/admin/users/{userId}/keys/{keyId}': { expect: 403 },
  'GET /v1/cache/stats': { expect: 403 },
  'POST /v1/cache/invalidate': { expect: 404, body: (ids) => ({ scope: 'job', jobId: ids.jobId }) },
  'GET /v1/queues': { expect: 403 },
};

/** Every operation of the served OpenAPI document, as `METHOD /path/{param}`. */
function documentedRoutes(): string[] {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('security: tenant isolation walker over the OpenAPI document', () => {
  let h: Harness;
  let ids: Ids;
  let markers: string[];
  const ALICE_CANDIDATE = { name: 'Alicia Secretname', email: 'alicia.secret@example.com' };

  beforeAll(async () => {
    h = await gatewayHarness();
    const jobId = await createJob(h);
    await request(h.app)
      .patch(`/v1/jobs/${jobId}`)
      .set('authorization', h.alice.auth)
      .send({ title: 'Alice secret job title' })
      .expect(200);
    const { batchId, resumeIds } = await uploadTexts(h, jobId, [
      `${ALICE_CANDIDATE.name}\n${ALICE_CANDIDATE.email}\nTypeScript, PostgreSQL`,
    ]);
    const resumeId = resumeIds[0]!;
    // An erasure, so Alice has an audit record for Bob to (fail to) read.
    const erased = (await uploadTexts(h, jobId, ['Erased candidate\nTypeScript'])).resumeIds[0]!;
    await request(h.app)
      .delete(`/v1/resumes/${erased}`)
      .set('authorization', h.alice.auth)
      .expect(204);
    expect((await h.store.audit.list(h.alice.id, {})).items).toHaveLength(1);
    await finishResume(h, h.alice.id, resumeId, 80, 'shortlist', {
      candidate: { ...ALICE_CANDIDATE, phone: null, links: [] },
    });
    const at = new Date().toISOString();
    const emailId = newId('eml');
    await h.store.emails.createIfAbsent({
      id: emailId,
      userId: h.alice.id,
      resumeId,
      jobId,
      kind: 'invite',
      priority: 1,
      to: ALICE_CANDIDATE.email,
      subject: 'Alice secret subject',
      text: 't',
      html: null,
      status: 'queued',
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: `${resumeId}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
      fromName: 'Alice Corp Secret',
      replyTo: null,
      handedOffAt: null,
    });
    await h.store.companies.put({
      userId: h.alice.id,
      name: 'Alice Corp Secret',
      signature: 'Alice',
      replyTo: null,
      schedulingLink: null,
      updatedAt: at,
    });
    const address = 'alice.optout@example.com';
    await h.store.optOuts.add({ userId: h.alice.id, address, reason: null, createdAt: at });
    const keyId = (await h.store.apiKeys.list(h.alice.id))[0]!.id;
    ids = {
      jobId,
      batchId,
      resumeId,
      emailId,
      address,
      userId: h.alice.id,
      keyId,
      token: 'not-a-genuine-token',
    };
    markers = [
      erased,
      jobId,
      batchId,
      resumeId,
      emailId,
      keyId,
      address,
      ALICE_CANDIDATE.name,
      ALICE_CANDIDATE.email,
      'Alice secret job title',
      'Alice secret subject',
      'Alice Corp Secret',
    ];
  });
  afterAll(() => h.close());

  it('has a fixture for every route in the OpenAPI document (a new route needs one)', () => {
    const routes = documentedRoutes();
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in FIXTURES))).toEqual([]);
    // Fixtures for routes that no longer exist are stale: remove them.
    expect(Object.keys(FIXTURES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it("walks every documented route as Bob with Alice's ids: 404/403 or nothing of Alice's", async () => {
    const outcomes: { route: string; ok: boolean; status: number; leaked?: string }[] = [];
    for (const route of documentedRoutes()) {
      const fixture = FIXTURES[route];
      if (!fixture) continue;
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const value = ids[name as keyof Ids];
        if (value === undefined) throw new Error(`${route}: no fixture id for {${name}}`);
        return encodeURIComponent(value);
      });
      let call = request(h.app)[method.toLowerCase() as 'get'](url);
      if (fixture.expect !== 'public') call = call.set('authorization', h.bob.auth);
      if (path.endsWith('/events')) call = call.set('accept', 'text/event-stream');
      const body = fixture.body?.(ids);
      if (body) call = call.send(body);
      const res = await call;
      const text = `${JSON.stringify(res.headers)}${res.text ?? ''}${JSON.stringify(res.body ?? '')}`;
      // Echoing what Bob himself sent (e.g. the problem's `instance` URL) is not a leak.
      const sent = `${decodeURIComponent(url)}${JSON.stringify(body ?? {})}`;
      const leaked = markers.find((m) => !sent.includes(m) && text.includes(m));
      const statusOk =
        typeof fixture.expect === 'number'
          ? res.status === fixture.expect &&
            /^application\/problem\+json/.test(String(res.headers['content-type']))
          : res.status < 500;
      outcomes.push({
        route,
        ok: statusOk && leaked === undefined,
        status: res.status,
        ...(leaked ? { leaked } : {}),
      });
    }
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(Object.keys(FIXTURES).length);
    // Public metrics label requests by route pattern: none of the ids used above shows there.
    const metrics = await request(h.app).get('/metrics').expect(200);
    expect(markers.filter((m) => metrics.text.includes(m))).toEqual([]);
  });

  it("leaves all of Alice's data as it was after Bob's walk", async () => {
    const job = await h.store.jobs.get(h.alice.id, ids.jobId);
    expect(job?.title).toBe('Alice secret job title');
    const resume = await h.store.resumes.get(h.alice.id, ids.resumeId);
    expect(resume?.status).toBe('done');
    expect(resume?.candidate.email).toBe(ALICE_CANDIDATE.email);
    expect((await h.store.emails.get(h.alice.id, ids.emailId))?.status).toBe('queued');
    expect((await h.store.companies.get(h.alice.id))?.name).toBe('Alice Corp Secret');
    const optOuts = await h.store.optOuts.list(h.alice.id, {});
    expect(optOuts.items.map((o) => o.address)).toEqual([ids.address]);
    expect((await h.store.apiKeys.list(h.alice.id)).every((k) => k.revokedAt === null)).toBe(true);
    const bobsEmails = await h.store.emails.list(h.bob.id, {}, {});
    expect(bobsEmails.items).toEqual([]);
  });
});

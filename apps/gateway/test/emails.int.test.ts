import request from 'supertest';
import { newId, type Job, type Resume } from '@shortlist/contracts';
import { pendingEmailsKey } from '@shortlist/mail';
import { Producer, type Queue, type Redis } from '@shortlist/queue';
import { gatewayHarness } from './harness';

type Harness = Awaited<ReturnType<typeof gatewayHarness>>;

describe('email endpoints (real Redis queue, SQLite)', () => {
  let h: Harness;
  let producer: Producer<'email-delivery'>;
  let queue: Queue;
  beforeAll(async () => {
    h = await gatewayHarness();
    producer = new Producer('email-delivery', {
      connection: h.deps.analysisQueue.queue.opts.connection as Redis,
      prefix: h.prefix,
    });
    queue = producer.queue;
  });
  afterAll(async () => {
    await producer.close();
    await h.close();
  });

  async function seed(
    userId: string,
    candidates: Partial<Resume['candidate']>[],
    description = 'Spark pipelines and Airflow.',
  ) {
    const at = new Date().toISOString();
    const job: Job = {
      id: newId('job'),
      userId,
      title: 'Data engineer',
      description,
      criteria: [
        { name: 'Spark', weight: 2, required: true },
        { name: 'Airflow', weight: 1, required: false },
      ],
      criteriaDerived: false,
      thresholds: { shortlist: 70, maybe: 45 },
      blind: false,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await h.store.jobs.create(job);
    const resumes: Resume[] = candidates.map((c, i) => ({
      id: newId('res'),
      userId,
      jobId: job.id,
      batchId: 'bat_x',
      fileName: `r${i}.txt`,
      blobKey: `b${i}`,
      sha256: (i + 1).toString(16).padStart(64, 'a'),
      size: 10,
      mime: 'text/plain',
      uploadedAt: at,
      status: 'done',
      error: null,
      duplicateOf: null,
      jobVersion: 1,
      textChars: 10,
      candidate: { name: `Person ${i}`, email: `p${i}@example.test`, phone: null, links: [], ...c },
      analysis: {
        score: 75,
        tier: 'shortlist',
        criteria: [
          { name: 'Spark', weight: 2, required: true, met: 'yes', evidence: 'Spark at scale' },
          { name: 'Airflow', weight: 1, required: false, met: 'yes', evidence: 'Airflow DAGs' },
        ],
        yearsExperience: 4,
        summary: '',
        warnings: [],
        model: 'local',
        promptVersion: 't',
        tokensIn: 0,
        tokensOut: 0,
        costUsd: 0,
        cached: false,
        durationMs: 1,
      },
      score: 75,
      tier: 'shortlist',
      warnings: [],
      updatedAt: at,
    }));
    await h.store.resumes.createMany(resumes);
    return { job, resumes };
  }

  const post = (path: string, body: unknown, auth = h.alice.auth) =>
    request(h.app)
      .post(path)
      .set('authorization', auth)
      .send(body as object);

  it('queues the valid recipients and answers each invalid one with a 4xx naming the field', async () => {
    const { resumes } = await seed(h.alice.id, [
      {},
      { email: 'not-an-address' },
      { email: null },
      { name: 'Eve\r\nBcc: victim@example.test' },
      {},
    ]);
    await post('/v1/opt-outs', { addresses: ['P4@Example.test'] }).expect(200);
    const res = await post('/v1/emails', {
      kind: 'invite',
      items: [
        ...resumes.map((r) => ({ resumeId: r.id })),
        { resumeId: resumes[0]!.id, to: 'bad\r\nto@example.test' },
        { resumeId: 'res_missing' },
      ],
    }).expect(202);
    const byIndex = res.body.results as {
      outcome: string;
      error?: { status: number; field: string; message: string };
    }[];
    expect(byIndex[0]).toMatchObject({ outcome: 'queued' });
    expect(byIndex[1]).toMatchObject({
      outcome: 'rejected',
      error: { status: 400, field: 'items.1.to' },
    });
    expect(byIndex[1]!.error!.message).toMatch(/not a valid email address/);
    expect(byIndex[2]).toMatchObject({
      outcome: 'rejected',
      error: { status: 422, field: 'items.2.to' },
    });
    expect(byIndex[2]!.error!.message).toMatch(/no email address/);
    expect(byIndex[3]).toMatchObject({
      outcome: 'rejected',
      error: { status: 400, field: 'items.3.name' },
    });
    expect(byIndex[3]!.error!.message).toMatch(/line break/);
    expect(byIndex[4]).toMatchObject({ outcome: 'rejected', error: { status: 422 } });
    expect(byIndex[4]!.error!.message).toMatch(/opted out/);
    expect(byIndex[5]).toMatchObject({
      outcome: 'rejected',
      error: { status: 400, field: 'items.5.to' },
    });
    expect(byIndex[6]).toMatchObject({ outcome: 'rejected', error: { status: 404 } });
    expect(res.body.counts).toEqual({ queued: 1, existing: 0, rejected: 6 });
    const stored = await h.store.emails.list(h.alice.id, { resumeId: resumes[0]!.id }, {});
    expect(stored.items).toHaveLength(1);
  });

  it('refuses unknown template variables, naming them, and queues nothing', async () => {
    const { job, resumes } = await seed(h.alice.id, [{}]);
    const res = await post('/v1/emails', {
      kind: 'custom',
      resumeIds: [resumes[0]!.id],
      subject: 'Hello {{candidateName}}',
      body: 'Hi {{candidateNmae}}, about {{salary}} at {{companyName}}.',
    }).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ code: 'validation_failed', field: 'body' });
    expect(res.body.detail).toMatch(/unknown template variables: candidateNmae, salary/);
    expect((await h.store.emails.list(h.alice.id, { jobId: job.id }, {})).items).toEqual([]);
  });

  it('refuses a subject with CR/LF (header injection) with 400', async () => {
    const { resumes } = await seed(h.alice.id, [{}]);
    const res = await post('/v1/emails', {
      kind: 'custom',
      resumeIds: [resumes[0]!.id],
      subject: 'Hi\r\nBcc: everyone@example.test',
      body: 'Hello',
    }).expect(400);
    expect(res.body.field).toBe('subject');
  });

  it('answers 400 with every item when none can be queued', async () => {
    const { resumes } = await seed(h.alice.id, [{ email: null }]);
    const res = await post('/v1/emails', { kind: 'reject', resumeIds: [resumes[0]!.id] }).expect(
      400,
    );
    expect(res.body).toMatchObject({ field: 'resumeIds.0', counts: { rejected: 1 } });
  });

  it('queues one email per (resume, kind, job version): a double click sends nothing twice', async () => {
    const { resumes } = await seed(h.alice.id, [{}]);
    const body = { kind: 'invite', resumeIds: [resumes[0]!.id] };
    const [a, b] = await Promise.all([post('/v1/emails', body), post('/v1/emails', body)]);
    const ids = [a.body.results[0].emailId, b.body.results[0].emailId];
    expect(ids[0]).toBe(ids[1]);
    expect([a.body.results[0].outcome, b.body.results[0].outcome].sort()).toEqual([
      'existing',
      'queued',
    ]);
    const job = await queue.getJob(ids[0]);
    expect(job?.data).toMatchObject({ userId: h.alice.id, emailId: ids[0] });
    expect(job?.opts.priority).toBe(1);
    // Both requests queued their jobs, so nothing is left for the worker's sweeper.
    const redis = h.deps.analysisQueue.queue.opts.connection as Redis;
    expect(await redis.zcard(pendingEmailsKey(h.prefix))).toBe(0);
  });

  it('runs single emails before bulk runs, and invitations before rejections', async () => {
    const { resumes } = await seed(h.alice.id, [{}, {}, {}]);
    const bulk = await post('/v1/emails', {
      kind: 'reject',
      resumeIds: [resumes[0]!.id, resumes[1]!.id],
    }).expect(202);
    const bulkInvite = await post('/v1/emails', {
      kind: 'invite',
      resumeIds: [resumes[0]!.id, resumes[1]!.id],
    }).expect(202);
    const single = await post('/v1/emails', { kind: 'reject', resumeIds: [resumes[2]!.id] }).expect(
      202,
    );
    const priority = async (r: request.Response) =>
      (await queue.getJob(r.body.results[0].emailId))!.opts.priority;
    const [p1, p2, p3] = [await priority(single), await priority(bulkInvite), await priority(bulk)];
    expect(p1).toBeLessThan(p2!);
    expect(p2).toBeLessThan(p3!);
  });

  it('previews with escaping, company settings and a personal note, storing nothing', async () => {
    await request(h.app)
      .put('/v1/email-settings')
      .set('authorization', h.alice.auth)
      .send({
        name: 'Acme Data',
        signature: 'Best,\nJane Doe\nTalent team',
        replyTo: 'Talent@Acme.test',
        schedulingLink: 'https://cal.acme.test/jane?type=30min&lang=en',
      })
      .expect(200);
    const { job, resumes } = await seed(h.alice.id, [{ name: 'Bob <script>alert(1)</script>' }]);
    const res = await post('/v1/emails/preview', {
      kind: 'invite',
      resumeId: resumes[0]!.id,
      personalise: true,
    }).expect(200);
    expect(res.body).toMatchObject({
      to: 'p0@example.test',
      fromName: 'Acme Data',
      replyTo: 'Talent@acme.test',
      subject: 'Interview invitation: Data engineer at Acme Data',
    });
    expect(res.body.text).toContain('Dear Bob <script>alert(1)</script>,');
    expect(res.body.text).toContain('Your experience with Spark and Airflow stood out');
    expect(res.body.text).toContain('https://cal.acme.test/jane?type=30min&lang=en');
    expect(res.body.text).toContain('Best,\nJane Doe\nTalent team');
    expect(res.body.html).not.toContain('<script>');
    expect(res.body.html).toContain('Bob &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body.html).toContain('<a href="https://cal.acme.test/jane?type=30min&amp;lang=en">');
    expect((await h.store.emails.list(h.alice.id, { jobId: job.id }, {})).items).toEqual([]);

    const reject = await post('/v1/emails/preview', {
      kind: 'reject',
      resumeId: resumes[0]!.id,
      rejectionReason: 'position_filled',
    }).expect(200);
    expect(reject.body.text).toContain('The position has now been filled.');
  });

  it('fills sender details a tenant has not set from the job description (local extractor)', async () => {
    const { resumes } = await seed(
      h.bob.id,
      [{}],
      'Company: Northwind Traders\nSpark pipelines and Airflow.\nContact: Jane Doe\nQuestions: talent@northwind.example',
    );
    const res = await post(
      '/v1/emails/preview',
      { kind: 'invite', resumeId: resumes[0]!.id },
      h.bob.auth,
    ).expect(200);
    expect(res.body).toMatchObject({
      fromName: 'Northwind Traders',
      replyTo: 'talent@northwind.example',
      subject: 'Interview invitation: Data engineer at Northwind Traders',
    });
    expect(res.body.text).toContain('Kind regards,\nJane Doe\nNorthwind Traders');
    // The tenant's own settings are untouched.
    const settings = await request(h.app)
      .get('/v1/email-settings')
      .set('authorization', h.bob.auth)
      .expect(200);
    expect(settings.body).toMatchObject({ name: 'Bob', replyTo: null, isDefault: true });
  });

  it('validates company settings', async () => {
    const bad = await request(h.app)
      .put('/v1/email-settings')
      .set('authorization', h.alice.auth)
      .send({ name: 'Acme', replyTo: 'nope' })
      .expect(400);
    expect(bad.body.field).toBe('replyTo');
    const crlf = await request(h.app)
      .put('/v1/email-settings')
      .set('authorization', h.alice.auth)
      .send({ name: 'Acme\r\nBcc: x@y.test' })
      .expect(400);
    expect(crlf.body.field).toBe('name');
  });

  it('cancels a queued email, refuses to cancel twice, and lists emails per job and candidate', async () => {
    const { job, resumes } = await seed(h.alice.id, [{}, {}]);
    const res = await post('/v1/emails', {
      kind: 'invite',
      resumeIds: resumes.map((r) => r.id),
    }).expect(202);
    const [first, second] = res.body.results.map((r: { emailId: string }) => r.emailId);
    const cancelled = await post(`/v1/emails/${first}/cancel`, {}).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await queue.getJob(first)).toBeUndefined();
    const again = await post(`/v1/emails/${first}/cancel`, {}).expect(409);
    expect(again.body.detail).toMatch(/already cancelled/);
    const bulk = await post('/v1/emails/cancel', { jobId: job.id }).expect(200);
    expect(bulk.body).toEqual({ cancelled: 1, notCancelled: 0 });

    const perJob = await request(h.app)
      .get(`/v1/jobs/${job.id}/emails`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(perJob.body.items.map((e: { id: string }) => e.id).sort()).toEqual(
      [first, second].sort(),
    );
    const perCandidate = await request(h.app)
      .get(`/v1/resumes/${resumes[1]!.id}/emails`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(perCandidate.body.items).toHaveLength(1);
    expect(perCandidate.body.items[0]).toMatchObject({ id: second, status: 'cancelled' });

    // Asking again after a cancel queues the same email again.
    const requeued = await post('/v1/emails', {
      kind: 'invite',
      resumeIds: [resumes[0]!.id],
    }).expect(202);
    expect(requeued.body.results[0]).toMatchObject({ emailId: first, status: 'queued' });
  });

  it("never shows one tenant another tenant's emails or opt-outs", async () => {
    const { resumes } = await seed(h.alice.id, [{}]);
    const res = await post('/v1/emails', { kind: 'invite', resumeIds: [resumes[0]!.id] }).expect(
      202,
    );
    const emailId = res.body.results[0].emailId;
    await request(h.app).get(`/v1/emails/${emailId}`).set('authorization', h.bob.auth).expect(404);
    await post(`/v1/emails/${emailId}/cancel`, {}, h.bob.auth).expect(404);
    const bobQueue = await post(
      '/v1/emails',
      { kind: 'invite', resumeIds: [resumes[0]!.id] },
      h.bob.auth,
    );
    expect(bobQueue.status).toBe(400);
    expect(bobQueue.body.results[0].error.status).toBe(404);
    const optOuts = await request(h.app)
      .get('/v1/opt-outs')
      .set('authorization', h.bob.auth)
      .expect(200);
    expect(optOuts.body.items).toEqual([]);
  });

  it('manages the opt-out list', async () => {
    const added = await post('/v1/opt-outs', {
      addresses: ['Someone@Example.test', 'broken'],
      reason: 'asked by phone',
    }).expect(200);
    expect(added.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'added',
      'rejected',
    ]);
    const list = await request(h.app)
      .get('/v1/opt-outs')
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(list.body.items.map((o: { address: string }) => o.address)).toContain(
      'someone@example.test',
    );
    await request(h.app)
      .delete('/v1/opt-outs/someone@example.test')
      .set('authorization', h.alice.auth)
      .expect(204);
    await request(h.app)
      .delete('/v1/opt-outs/someone@example.test')
      .set('authorization', h.alice.auth)
      .expect(404);
  });

  it('ends every email with a signed unsubscribe link that works without signing in', async () => {
    const { resumes } = await seed(h.alice.id, [{ email: 'Quit@Example.test' }]);
    const queued = await post('/v1/emails', { kind: 'invite', resumeIds: [resumes[0]!.id] }).expect(
      202,
    );
    const email = (
      await request(h.app)
        .get(`/v1/emails/${queued.body.results[0].emailId}`)
        .set('authorization', h.alice.auth)
        .expect(200)
    ).body;
    expect(email.unsubscribeUrl).toMatch(
      /^http:\/\/127\.0\.0\.1(:\d+)?\/v1\/unsubscribe\/[\w-]+\.[\w-]+$/,
    );
    expect(email.text).toContain(`\n-- \nTo stop receiving emails from`);
    expect(email.text).toContain(email.unsubscribeUrl);
    expect(email.html).toContain(`href="${email.unsubscribeUrl}"`);
    const path = new URL(email.unsubscribeUrl).pathname;

    // Opening the link changes nothing (mail scanners open links); the button (or a mail
    // client's one-click POST) records the opt-out.
    const confirm = await request(h.app).get(path).expect(200);
    expect(confirm.text).toContain('quit@example.test');
    expect(confirm.text).toContain('<form method="post">');
    expect(
      (await request(h.app).get('/v1/opt-outs').set('authorization', h.alice.auth)).body.items,
    ).not.toContainEqual(expect.objectContaining({ address: 'quit@example.test' }));
    const done = await request(h.app)
      .post(path)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(done.text).toContain('will receive no more emails');
    const optOuts = await request(h.app).get('/v1/opt-outs').set('authorization', h.alice.auth);
    expect(optOuts.body.items).toContainEqual(
      expect.objectContaining({ address: 'quit@example.test', reason: 'unsubscribe link' }),
    );
    const again = await post('/v1/emails', { kind: 'reject', resumeIds: [resumes[0]!.id] });
    expect(again.status).toBe(400);
    expect(again.body.results[0].error.message).toMatch(/opted out/);

    // Forged or altered links do nothing.
    const [payload, signature] = path.slice('/v1/unsubscribe/'.length).split('.');
    const otherTenant = Buffer.from(JSON.stringify([h.bob.id, 'quit@example.test'])).toString(
      'base64url',
    );
    await request(h.app).post(`/v1/unsubscribe/${otherTenant}.${signature}`).expect(404);
    await request(h.app).post(`/v1/unsubscribe/${payload}.${signature}x`).expect(404);
    await request(h.app).get('/v1/unsubscribe/nonsense').expect(404);
  });
});

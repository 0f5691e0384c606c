import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { RedisCache, analysisKey } from '@shortlist/cache';
import { analysisJobId, newId, resumeTextKey, type EmailMessage } from '@shortlist/contracts';
import { recordThroughput } from '@shortlist/queue';
import { gatewayHarness, type Harness } from './harness';
import { JOB, createJob, failResume, finishResume, uploadTexts } from './helpers';

async function blobCount(h: Harness): Promise<number> {
  const entries = await readdir(join(h.dir, 'blobs'), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

describe('gateway API (real Redis, SQLite, local blobs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness({ extra: { corsOrigins: ['https://app.example.test'] } });
  });
  afterAll(() => h.close());

  const get = (path: string, auth = h.alice.auth) =>
    request(h.app).get(path).set('authorization', auth);

  it('reports batch progress with counts, percent and an ETA', async () => {
    const jobId = await createJob(h);
    const { batchId, resumeIds } = await uploadTexts(h, jobId, ['a TypeScript', 'b', 'c', 'd']);
    const before = await get(`/v1/batches/${batchId}`).expect(200);
    expect(before.body.progress).toMatchObject({ state: 'running', finished: 0, remaining: 4 });
    expect(before.body.progress.etaSeconds).toBeNull();
    await finishResume(h, h.alice.id, resumeIds[0]!, 80, 'shortlist');
    await failResume(h, h.alice.id, resumeIds[1]!);
    const res = await get(`/v1/batches/${batchId}`).expect(200);
    expect(res.body.counts).toMatchObject({ total: 4, queued: 2, done: 1, failed: 1 });
    expect(res.body.progress).toMatchObject({
      state: 'running',
      finished: 2,
      remaining: 2,
      percent: 50,
    });
    expect(res.body.progress.etaSeconds).toBeGreaterThanOrEqual(0);
  });

  it('filters, sorts and pages the results with a stable cursor', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['r0', 'r1', 'r2', 'r3', 'r4']);
    const scores = [91, 75, 50, 20, 88];
    const tiers = ['shortlist', 'shortlist', 'maybe', 'reject', 'shortlist'] as const;
    for (const [i, id] of resumeIds.entries()) {
      await finishResume(h, h.alice.id, id, scores[i]!, tiers[i]!, {
        warnings:
          i === 2 ? [{ code: 'hidden_text', message: 'Hidden text found.', snippet: 'x' }] : [],
      });
    }
    const ranked = await get(`/v1/jobs/${jobId}/resumes?sort=score`).expect(200);
    expect(ranked.body.items.map((r: { score: number }) => r.score)).toEqual([91, 88, 75, 50, 20]);
    const shortlisted = await get(`/v1/jobs/${jobId}/resumes?tier=shortlist&minScore=80`).expect(
      200,
    );
    expect(shortlisted.body.items.map((r: { score: number }) => r.score)).toEqual([91, 88]);
    const warned = await get(`/v1/jobs/${jobId}/resumes?hasWarnings=true`).expect(200);
    expect(warned.body.items.map((r: { id: string }) => r.id)).toEqual([resumeIds[2]]);
    const clean = await get(`/v1/jobs/${jobId}/resumes?hasWarnings=false&status=done`).expect(200);
    expect(clean.body.items).toHaveLength(4);
    const first = await get(`/v1/jobs/${jobId}/resumes?limit=2`).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(
      `/v1/jobs/${jobId}/resumes?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    ).expect(200);
    expect(second.body.items.map((r: { score: number }) => r.score)).toEqual([75, 50]);
    const wrongQuery = await get(
      `/v1/jobs/${jobId}/resumes?limit=2&tier=maybe&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    ).expect(400);
    expect(wrongQuery.body.field).toBe('cursor');
    const bad = await get(`/v1/jobs/${jobId}/resumes?minScore=200`).expect(400);
    expect(bad.body.field).toBe('minScore');
  });

  it('answers 304 to If-None-Match on reads, and a changed job gets a new ETag', async () => {
    const jobId = await createJob(h);
    const first = await get(`/v1/jobs/${jobId}`).expect(200);
    expect(first.headers.etag).toBeTruthy();
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/Authorization/i);
    await get(`/v1/jobs/${jobId}`).set('if-none-match', first.headers.etag!).expect(304);
    await request(h.app)
      .patch(`/v1/jobs/${jobId}`)
      .set('authorization', h.alice.auth)
      .send({ title: 'Renamed' })
      .expect(200);
    const changed = await get(`/v1/jobs/${jobId}`)
      .set('if-none-match', first.headers.etag!)
      .expect(200);
    expect(changed.body.title).toBe('Renamed');
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('serves the shortlist and a resume as JSON with ETags that change with a result', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['first TypeScript', 'second']);
    await finishResume(h, h.alice.id, resumeIds[0]!, 64, 'maybe');
    const list = await get(`/v1/jobs/${jobId}/resumes`).expect(200);
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(list.text).toBe(
      JSON.stringify(await h.deps.store.resumes.list(h.alice.id, { jobId }, 'score', {})),
    );
    const one = await get(`/v1/resumes/${resumeIds[0]}`).expect(200);
    expect(one.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(one.text).toBe(
      JSON.stringify(await h.deps.store.resumes.get(h.alice.id, resumeIds[0]!)),
    );
    for (const [path, res] of [
      [`/v1/jobs/${jobId}/resumes`, list],
      [`/v1/resumes/${resumeIds[0]}`, one],
    ] as const) {
      expect(res.headers.etag).toBeTruthy();
      await get(path).set('if-none-match', res.headers.etag!).expect(304);
    }
    await finishResume(h, h.alice.id, resumeIds[1]!, 90, 'shortlist');
    const relisted = await get(`/v1/jobs/${jobId}/resumes`)
      .set('if-none-match', list.headers.etag!)
      .expect(200);
    expect(relisted.body.items.map((r: { score: number }) => r.score)).toEqual([90, 64]);
    await get(`/v1/resumes/${resumeIds[0]}`, h.bob.auth).expect(404);
  });

  it('streams the original file with its type, name and a content ETag', async () => {
    const jobId = await createJob(h);
    const body = 'Jane Doe\nTypeScript engineer\n';
    const upload = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', Buffer.from(body), 'jane doe.txt')
      .expect(202);
    const id = upload.body.files[0].resumeId as string;
    const res = await get(`/v1/resumes/${id}/file`).buffer(true).expect(200);
    expect(res.text ?? res.body.toString()).toBe(body);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="jane doe.txt"/);
    await get(`/v1/resumes/${id}/file`).set('if-none-match', res.headers.etag!).expect(304);
  });

  it('serves the extracted text of an analysed resume as UTF-8, with an ETag', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['Zoë Example — TypeScript', 'failing']);
    const [id, failing] = resumeIds as [string, string];
    const pending = await get(`/v1/resumes/${id}/text`).expect(404);
    expect(pending.body.detail).toMatch(/not available yet/);
    const resume = await h.store.resumes.get(h.alice.id, id);
    const text = 'Zoë Example\nTypeScript — 7 years\n';
    await h.blobs.put(resumeTextKey(resume!.blobKey), Readable.from([Buffer.from(text)]));
    await finishResume(h, h.alice.id, id, 80, 'shortlist');
    const res = await get(`/v1/resumes/${id}/text`).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(text);
    await get(`/v1/resumes/${id}/text`).set('if-none-match', res.headers.etag!).expect(304);
    await failResume(h, h.alice.id, failing);
    const failed = await get(`/v1/resumes/${failing}/text`).expect(404);
    expect(failed.body.detail).toMatch(/no extracted text \(it is failed\)/);
    // Erasing the resume erases its text with it.
    await request(h.app).delete(`/v1/resumes/${id}`).set('authorization', h.alice.auth).expect(204);
    expect(await h.blobs.exists(resumeTextKey(resume!.blobKey))).toBe(false);
  });

  it('serves an analysed plain-text upload as its own text when no separate copy was kept', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['Zoë Example\nTypeScript — 7 years\n']);
    const id = resumeIds[0]!;
    await get(`/v1/resumes/${id}/text`).expect(404);
    await finishResume(h, h.alice.id, id, 80, 'shortlist');
    const res = await get(`/v1/resumes/${id}/text`).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('Zoë Example\nTypeScript — 7 years\n');
  });

  it('erases a resume: record, file, cached analyses, email bodies and its place in the batch', async () => {
    const jobId = await createJob(h);
    const { batchId, resumeIds } = await uploadTexts(h, jobId, ['keep me', 'erase me']);
    const [keep, erase] = resumeIds as [string, string];
    await finishResume(h, h.alice.id, erase, 70, 'shortlist');
    const cache = new RedisCache({ redis: h.redis, prefix: h.prefix });
    const key = analysisKey({
      jobId,
      jobVersion: 1,
      model: 'local',
      promptVersion: 'p1',
      blind: false,
      textHash: 'a'.repeat(64),
    });
    await cache.set(key, { quote: 'erase me' });
    const at = new Date().toISOString();
    const email: EmailMessage = {
      id: newId('eml'),
      userId: h.alice.id,
      resumeId: erase,
      jobId,
      kind: 'invite',
      priority: 1,
      to: 'erase.me@example.com',
      subject: 'Interview for Backend engineer',
      text: 'Dear Erase Me, ...',
      html: null,
      status: 'queued',
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: `${erase}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
      fromName: 'Acme',
      replyTo: null,
      handedOffAt: null,
    };
    await h.store.emails.createIfAbsent(email);
    const blobsBefore = await blobCount(h);

    await request(h.app)
      .delete(`/v1/resumes/${erase}`)
      .set('authorization', h.alice.auth)
      .expect(204);

    await get(`/v1/resumes/${erase}`).expect(404);
    await get(`/v1/resumes/${erase}/file`).expect(404);
    await get(`/v1/resumes/${keep}`).expect(200);
    expect(await blobCount(h)).toBe(blobsBefore - 1);
    expect(await cache.get(key)).toBeUndefined();
    const stored = await h.store.emails.get(h.alice.id, email.id);
    expect(stored).toMatchObject({ subject: '[erased]', text: '', status: 'cancelled' });
    const batch = await get(`/v1/batches/${batchId}`).expect(200);
    expect(batch.body.counts).toMatchObject({ total: 1, done: 0, queued: 1 });
    await request(h.app)
      .delete(`/v1/resumes/${erase}`)
      .set('authorization', h.alice.auth)
      .expect(404);
  });

  it('re-analyses a failed or done resume, and refuses one already in progress or a duplicate', async () => {
    const jobId = await createJob(h);
    const { batchId, resumeIds } = await uploadTexts(h, jobId, ['failing', 'done', 'waiting']);
    const [failing, done, waiting] = resumeIds as [string, string, string];
    await failResume(h, h.alice.id, failing);
    await finishResume(h, h.alice.id, done, 60, 'maybe');
    const again = await request(h.app)
      .post(`/v1/resumes/${failing}/reanalyze`)
      .set('authorization', h.alice.auth)
      .expect(202);
    expect(again.body).toMatchObject({ id: failing, status: 'queued', error: null });
    const rescored = await request(h.app)
      .post(`/v1/resumes/${done}/reanalyze`)
      .set('authorization', h.alice.auth)
      .expect(202);
    expect(rescored.body.status).toBe('queued');
    expect(rescored.body.analysis.score).toBe(60);
    const jobs = await h.deps.analysisQueue.queue.getJobs(['waiting']);
    const ids = jobs.map((j) => j.id!);
    expect(ids.some((id) => id.startsWith(`${analysisJobId(failing, 1)}-r`))).toBe(true);
    expect(ids.some((id) => id.startsWith(`${analysisJobId(done, 1)}-r`))).toBe(true);
    // Plain re-analyses may be answered from the cache; `force` tells the worker to bypass it.
    expect(jobs.filter((j) => j.data.resumeId === done).map((j) => j.data.force)).toEqual([
      undefined,
    ]);
    await finishResume(h, h.alice.id, failing, 55, 'maybe');
    const bad = await request(h.app)
      .post(`/v1/resumes/${failing}/reanalyze`)
      .set('authorization', h.alice.auth)
      .send({ force: 'yes' })
      .expect(400);
    expect(bad.body.field).toBe('force');
    await request(h.app)
      .post(`/v1/resumes/${failing}/reanalyze`)
      .set('authorization', h.alice.auth)
      .send({ force: true })
      .expect(202);
    const forced = (await h.deps.analysisQueue.queue.getJobs(['waiting'])).filter(
      (j) => j.data.resumeId === failing,
    );
    expect(forced.filter((j) => j.data.force === true)).toHaveLength(1);
    const busy = await request(h.app)
      .post(`/v1/resumes/${waiting}/reanalyze`)
      .set('authorization', h.alice.auth)
      .expect(409);
    expect(busy.body).toMatchObject({ code: 'conflict', field: 'resumeId', status: 'queued' });
    const batch = await get(`/v1/batches/${batchId}`).expect(200);
    expect(batch.body.counts).toMatchObject({ total: 3, queued: 3, done: 0, failed: 0 });
  });

  it('re-scores analysed resumes at the new version when scoring inputs change, keeping old results readable', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['one', 'two', 'three']);
    await finishResume(h, h.alice.id, resumeIds[0]!, 80, 'shortlist');
    await finishResume(h, h.alice.id, resumeIds[1]!, 30, 'reject');
    const renamed = await request(h.app)
      .patch(`/v1/jobs/${jobId}`)
      .set('authorization', h.alice.auth)
      .send({ title: 'Senior backend engineer' })
      .expect(200);
    expect(renamed.body.version).toBe(1);
    expect(renamed.headers['x-rescoring-queued']).toBe('0');
    const edited = await request(h.app)
      .patch(`/v1/jobs/${jobId}`)
      .set('authorization', h.alice.auth)
      .send({ criteria: [{ name: 'Go', weight: 1 }] })
      .expect(200);
    expect(edited.body.version).toBe(2);
    expect(edited.headers['x-rescoring-queued']).toBe('2');
    const queued = await h.deps.analysisQueue.queue.getJob(analysisJobId(resumeIds[0]!, 2));
    expect(queued?.data).toMatchObject({ resumeId: resumeIds[0], jobVersion: 2 });
    expect(
      await h.deps.analysisQueue.queue.getJob(analysisJobId(resumeIds[2]!, 2)),
    ).toBeUndefined();
    const old = await get(`/v1/resumes/${resumeIds[0]}`).expect(200);
    expect(old.body).toMatchObject({ status: 'done', score: 80, jobVersion: 1 });
  });

  it('exports the ranked list as CSV with spreadsheet formulas neutralised', async () => {
    const jobId = await createJob(h);
    const upload = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .send({
        resumes: [
          { fileName: '=HYPERLINK("evil","cv").txt', text: 'one' },
          { fileName: '@SUM(A1).txt', text: 'two' },
          { fileName: 'plain, "quoted".txt', text: 'three' },
        ],
      })
      .expect(202);
    const ids = (upload.body.files as { resumeId: string }[]).map((f) => f.resumeId);
    await finishResume(h, h.alice.id, ids[0]!, 40, 'reject', {
      candidate: { name: '+cmd|calc', email: '-1@example.com', phone: null, links: [] },
    });
    await finishResume(h, h.alice.id, ids[1]!, 90, 'shortlist', {
      candidate: { name: '\tTab Name', email: null, phone: null, links: [] },
    });
    await finishResume(h, h.alice.id, ids[2]!, 70, 'shortlist');
    const res = await get(`/v1/jobs/${jobId}/resumes.csv`).buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^rank,resume_id,file_name,candidate_name/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^1,[^,]+,'@SUM\(A1\)\.txt,'\tTab Name,,done,90,shortlist/);
    expect(lines[2]).toContain('"plain, ""quoted"".txt"');
    expect(lines[3]).toContain(`"'=HYPERLINK(""evil"",""cv"").txt"`);
    expect(lines[3]).toContain("'+cmd|calc,'-1@example.com");
    for (const line of lines.slice(1))
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+@\t\r-]/);
    const shortlisted = await get(`/v1/jobs/${jobId}/resumes.csv?tier=shortlist`).buffer(true);
    expect(shortlisted.text.trim().split('\r\n')).toHaveLength(3);
  });

  it('aggregates stats per job and per tenant', async () => {
    const jobId = await createJob(h);
    const { resumeIds } = await uploadTexts(h, jobId, ['s1', 's2', 's3']);
    await finishResume(h, h.alice.id, resumeIds[0]!, 95, 'shortlist');
    await finishResume(h, h.alice.id, resumeIds[1]!, 15, 'reject');
    const job = await get(`/v1/jobs/${jobId}/stats`).expect(200);
    expect(job.body).toMatchObject({
      total: 3,
      byStatus: { done: 2, queued: 1 },
      byTier: { shortlist: 1, reject: 1, maybe: 0 },
      tokensIn: 200,
    });
    expect(job.body.scoreHistogram[9]).toBe(1);
    expect(job.body.scoreHistogram[1]).toBe(1);
    expect(job.body.processing).toMatchObject({ batches: 1, analysed: 2 });
    const tenant = await get('/v1/stats').expect(200);
    expect(tenant.body.total).toBeGreaterThanOrEqual(3);
    const bob = await get('/v1/stats', h.bob.auth).expect(200);
    expect(bob.body.total).toBe(0);
  });

  it('serves resumes finished per minute and the cache hit rate from the workers’ counters', async () => {
    const jobId = await createJob(h);
    // Recorded and read within one minute, so the series lines up with what was recorded.
    while (Date.now() % 60_000 > 50_000) await new Promise((r) => setTimeout(r, 500));
    const now = Date.now();
    const outcome = { userId: h.alice.id, jobId, cached: false, at: new Date(now) };
    // What the resume worker records as each analysis finishes.
    await recordThroughput(h.redis, h.prefix, { ...outcome, status: 'done', costUsd: 0.01 });
    await recordThroughput(h.redis, h.prefix, { ...outcome, status: 'done', cached: true });
    await recordThroughput(h.redis, h.prefix, { ...outcome, status: 'done', cached: true });
    await recordThroughput(h.redis, h.prefix, {
      ...outcome,
      status: 'failed',
      at: new Date(now - 120_000),
    });
    const job = await get(`/v1/jobs/${jobId}/stats?minutes=5`).expect(200);
    expect(job.body.throughput).toMatchObject({ minutes: 5, done: 3, failed: 1 });
    expect(job.body.throughput.cacheHitRate).toBeCloseTo(2 / 3, 3);
    const points = job.body.throughput.points as { done: number; failed: number }[];
    expect(points).toHaveLength(5);
    expect(points.map((p) => p.done)).toEqual([0, 0, 0, 0, 3]);
    expect(points.map((p) => p.failed)).toEqual([0, 0, 1, 0, 0]);
    const tenant = await get('/v1/stats?minutes=1').expect(200);
    expect(tenant.body.throughput.done).toBeGreaterThanOrEqual(3);
    const bob = await get('/v1/stats?minutes=5', h.bob.auth).expect(200);
    expect(bob.body.throughput).toMatchObject({ done: 0, cacheHitRate: null });
    const bad = await get(`/v1/jobs/${jobId}/stats?minutes=100000`).expect(400);
    expect(bad.body.field).toBe('minutes');
  });

  it('tells the caller who they are and what their limits are', async () => {
    const me = await get('/v1/me').expect(200);
    expect(me.body).toMatchObject({ userId: h.alice.id, role: 'member', via: 'apikey' });
    const limits = await get('/v1/rate-limit').expect(200);
    const names = limits.body.limits.map((l: { name: string }) => l.name);
    expect(names).toEqual(['ip', 'read', 'write', 'upload', 'resumes']);
    const quota = limits.body.limits.find((l: { name: string }) => l.name === 'resumes');
    expect(quota).toMatchObject({ scope: 'tenant', windowSeconds: 3600 });
    expect(quota.remaining).toBeLessThan(quota.limit);
  });

  it('lets admins manage users and keys, and refuses members with 403', async () => {
    const member = await request(h.app)
      .post('/v1/admin/users')
      .set('authorization', h.alice.auth)
      .send({ name: 'Mallory' })
      .expect(403);
    expect(member.body.code).toBe('forbidden');
    await get('/v1/queues').expect(403);
    const created = await request(h.app)
      .post('/v1/admin/users')
      .set('authorization', h.admin.auth)
      .send({ name: 'Carol', role: 'member', label: 'laptop' })
      .expect(201);
    const carol = created.body.user.id as string;
    const carolAuth = `Bearer ${created.body.apiKey}`;
    await get('/v1/me', carolAuth).expect(200);
    const extra = await request(h.app)
      .post(`/v1/admin/users/${carol}/keys`)
      .set('authorization', h.admin.auth)
      .send({ label: 'ci' })
      .expect(201);
    const keys = await get(`/v1/admin/users/${carol}/keys`, h.admin.auth).expect(200);
    expect(keys.body.items).toHaveLength(2);
    expect(JSON.stringify(keys.body)).not.toContain('hash');
    const first = keys.body.items[0].id as string;
    const rotated = await request(h.app)
      .post(`/v1/admin/users/${carol}/keys/${first}/rotate`)
      .set('authorization', h.admin.auth)
      .expect(200);
    await get('/v1/me', carolAuth).expect(401);
    await get('/v1/me', `Bearer ${rotated.body.apiKey}`).expect(200);
    await request(h.app)
      .delete(`/v1/admin/users/${carol}/keys/${extra.body.key.id}`)
      .set('authorization', h.admin.auth)
      .expect(204);
    await get('/v1/me', `Bearer ${extra.body.apiKey}`).expect(401);
    await get(`/v1/admin/users/usr_nobody/keys`, h.admin.auth).expect(404);
    const depths = await get('/v1/queues', h.admin.auth).expect(200);
    expect(depths.body['resume-analysis']).toMatchObject({ waiting: expect.any(Number) });
    expect(depths.body['resume-analysis'].waiting).toBeGreaterThan(0);
    expect(depths.body['email-delivery']).toBeDefined();
  });

  it('sends security headers, compresses large bodies and allows only configured origins', async () => {
    const jobId = await createJob(h);
    await uploadTexts(
      h,
      jobId,
      Array.from({ length: 40 }, (_, i) => `candidate ${i} with TypeScript`),
    );
    const res = await get(`/v1/jobs/${jobId}/resumes?limit=40`)
      .set('accept-encoding', 'gzip')
      .expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const allowed = await request(h.app)
      .options('/v1/jobs')
      .set('origin', 'https://app.example.test')
      .set('access-control-request-method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.test');
    const refused = await request(h.app)
      .options('/v1/jobs')
      .set('origin', 'https://evil.example.test')
      .set('access-control-request-method', 'GET');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document and a browsable page without external assets', async () => {
    const doc = await request(h.app).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/v1/jobs/{jobId}/resumes']).toBeDefined();
    const page = await request(h.app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('/v1/batches/{batchId}/events');
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });

  it('validates job bodies and names the field', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send({ ...JOB, criteria: [{ name: 'x', weight: 99 }] })
      .expect(400);
    expect(res.body.field).toBe('criteria.0.weight');
  });
});

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { gatewayHarness } from './harness';

type Harness = Awaited<ReturnType<typeof gatewayHarness>>;

const JOB = {
  title: 'Backend engineer',
  description: 'We build APIs in TypeScript on Node.js with PostgreSQL and Redis.',
  criteria: [
    { name: 'TypeScript', weight: 2, required: true },
    { name: 'PostgreSQL', weight: 1 },
  ],
};

async function blobFiles(h: Harness): Promise<string[]> {
  const root = join(h.dir, 'blobs');
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

describe('gateway walking skeleton (real Redis, SQLite, local blobs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function createJob(): Promise<string> {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send(JOB)
      .expect(201);
    return res.body.id as string;
  }

  it('creates a job and returns it with version 1', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send(JOB)
      .expect(201);
    expect(res.body).toMatchObject({
      title: 'Backend engineer',
      version: 1,
      criteriaDerived: false,
    });
    expect(res.headers.location).toBe(`/v1/jobs/${res.body.id}`);
  });

  it('rejects a job without a description with problem+json naming the field', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send({ title: 'No description' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      field: 'description',
    });
    expect(res.body.detail).toMatch(/description/);
  });

  it('derives editable criteria when the recruiter gives none', async () => {
    const res = await request(h.app)
      .post('/v1/jobs')
      .set('authorization', h.alice.auth)
      .send({
        title: 'Data engineer',
        description: 'Spark pipelines, Spark tuning, Airflow scheduling and Python.',
      })
      .expect(201);
    expect(res.body.criteriaDerived).toBe(true);
    expect(res.body.criteria.map((c: { name: string }) => c.name)).toContain('spark');
  });

  it('accepts a multipart upload: 202 with the batch and each file queued', async () => {
    const jobId = await createJob();
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', Buffer.from('Jane\nTypeScript and PostgreSQL'), 'jane.txt')
      .attach('files', Buffer.from('Joe\nCobol'), 'joe.txt')
      .expect(202);
    expect(res.body.batch.counts).toMatchObject({ total: 2, queued: 2, duplicate: 0 });
    expect(
      res.body.files.map((f: { fileName: string; status: string }) => [f.fileName, f.status]),
    ).toEqual([
      ['jane.txt', 'queued'],
      ['joe.txt', 'queued'],
    ]);
    const counts = await h.deps.analysisQueue.queue.getJobCounts('waiting');
    expect(counts.waiting).toBeGreaterThanOrEqual(2);
    const batch = await request(h.app)
      .get(`/v1/batches/${res.body.batch.id}`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(batch.body.counts.total).toBe(2);
  });

  it('records a re-upload of the same content as a duplicate that is not queued again', async () => {
    const jobId = await createJob();
    const body = Buffer.from('Same person\nTypeScript');
    await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', body, 'a.txt')
      .expect(202);
    const second = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', body, 'a-again.txt')
      .expect(202);
    expect(second.body.files[0]).toMatchObject({ status: 'duplicate' });
    expect(second.body.batch.counts).toMatchObject({ total: 1, queued: 0, duplicate: 1 });
    expect(second.body.batch.finishedAt).not.toBeNull();
  });

  it('answers 400 when no files are attached, keeping nothing', async () => {
    const jobId = await createJob();
    const before = await blobFiles(h);
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .field('note', 'forgot the files')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', field: 'files' });
    expect(await blobFiles(h)).toEqual(before);
  });

  it('answers 415 for a non-text file and deletes what was streamed', async () => {
    const jobId = await createJob();
    const before = await blobFiles(h);
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', png, 'resume.txt')
      .expect(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0]).toMatchObject({ field: 'files.0' });
    expect(res.body.errors[0].message).toMatch(/resume\.txt/);
    expect(await blobFiles(h)).toEqual(before);
    const batches = await request(h.app)
      .get(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth);
    expect(batches.body.items).toHaveLength(0);
  });

  it('answers 415 when the body is neither multipart nor JSON', async () => {
    const jobId = await createJob();
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .set('content-type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(res.body.field).toBe('content-type');
  });

  it('accepts already-extracted texts as JSON', async () => {
    const jobId = await createJob();
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .send({ resumes: [{ fileName: 'api.txt', text: 'TypeScript developer' }] })
      .expect(202);
    expect(res.body.files[0]).toMatchObject({ fileName: 'api.txt', status: 'queued' });
  });

  it('answers 413 while streaming when a file exceeds the size limit, keeping nothing', async () => {
    const small = await gatewayHarness({ maxFileBytes: 1_000 });
    try {
      const job = await request(small.app)
        .post('/v1/jobs')
        .set('authorization', small.alice.auth)
        .send(JOB);
      const res = await request(small.app)
        .post(`/v1/jobs/${job.body.id}/batches`)
        .set('authorization', small.alice.auth)
        .attach('files', Buffer.from('ok resume'), 'ok.txt')
        .attach('files', Buffer.alloc(5_000, 'a'), 'big.txt');
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/big\.txt/);
      expect(await readdir(join(small.dir, 'blobs'), { recursive: true }).catch(() => [])).toEqual(
        expect.not.arrayContaining([expect.stringMatching(/res_/)]),
      );
    } finally {
      await small.close();
    }
  });

  it('answers problem+json 404 for an unknown route and 401 without a key', async () => {
    const notFound = await request(h.app)
      .get('/v1/nope')
      .set('authorization', h.alice.auth)
      .expect(404);
    expect(notFound.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknownTop = await request(h.app).get('/nothing-here').expect(404);
    expect(unknownTop.body.code).toBe('not_found');
    const unauth = await request(h.app).get('/v1/jobs').expect(401);
    expect(unauth.body).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    await request(h.app).get('/v1/jobs').set('authorization', 'Bearer sl_wrong').expect(401);
  });

  it("never shows one tenant another tenant's job, batch or resumes", async () => {
    const jobId = await createJob();
    const upload = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', Buffer.from('Private person\nTypeScript'), 'p.txt')
      .expect(202);
    await request(h.app).get(`/v1/jobs/${jobId}`).set('authorization', h.bob.auth).expect(404);
    await request(h.app)
      .get(`/v1/jobs/${jobId}/resumes`)
      .set('authorization', h.bob.auth)
      .expect(404);
    await request(h.app)
      .get(`/v1/batches/${upload.body.batch.id}`)
      .set('authorization', h.bob.auth)
      .expect(404);
    await request(h.app)
      .get(`/v1/resumes/${upload.body.files[0].resumeId}`)
      .set('authorization', h.bob.auth)
      .expect(404);
    await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.bob.auth)
      .attach('files', Buffer.from('x'), 'x.txt')
      .expect(404);
    const list = await request(h.app).get('/v1/jobs').set('authorization', h.bob.auth).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('keeps API keys and resume text out of the logs', async () => {
    const jobId = await createJob();
    await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .send({ resumes: [{ fileName: 'x.txt', text: 'reach me at secret.person@example.com' }] });
    const all = h.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(h.alice.key);
    expect(all).not.toContain('secret.person@example.com');
  });
});

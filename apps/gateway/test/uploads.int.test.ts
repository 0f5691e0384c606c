import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { gatewayHarness, type Harness } from './harness';
import { createJob } from './helpers';

async function files(h: Harness): Promise<string[]> {
  const entries = await readdir(join(h.dir, 'blobs'), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('streaming uploads (real HTTP, local blobs, SQLite, Redis)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness({ limits: { maxFiles: 1_000, maxFileBytes: 200_000 } });
  });
  afterAll(() => h.close());

  it('accepts 120 files with 202 and queues each before any analysis has run', async () => {
    const jobId = await createJob(h);
    let call = request(h.app).post(`/v1/jobs/${jobId}/batches`).set('authorization', h.alice.auth);
    for (let i = 0; i < 120; i++)
      call = call.attach('files', Buffer.from(`Candidate ${i}\nTypeScript ${i}`), `c${i}.txt`);
    const res = await call.expect(202);
    expect(res.body.batch.counts).toMatchObject({
      total: 120,
      queued: 120,
      done: 0,
      processing: 0,
    });
    const stored = await h.store.resumes.count(h.alice.id, { jobId, status: 'queued' });
    expect(stored).toBe(120);
    const jobs = await h.deps.analysisQueue.queue.getJobs(['waiting'], 0, 2_000);
    expect(jobs.filter((j) => j.data.jobId === jobId)).toHaveLength(120);
  });

  it('accepts a single batch of 1,000 files', async () => {
    const jobId = await createJob(h);
    let call = request(h.app).post(`/v1/jobs/${jobId}/batches`).set('authorization', h.alice.auth);
    for (let i = 0; i < 1_000; i++)
      call = call.attach('files', Buffer.from(`Person ${i}\nNode.js ${i}`), `p${i}.txt`);
    const res = await call.expect(202);
    expect(res.body.batch.counts.total).toBe(1_000);
    expect(res.body.files).toHaveLength(1_000);
    expect(await h.store.resumes.count(h.alice.id, { jobId })).toBe(1_000);
  }, 120_000);

  it('queues a batch for economy scoring when the upload asks for it', async () => {
    const jobId = await createJob(h);
    const upload = (query: string) =>
      request(h.app)
        .post(`/v1/jobs/${jobId}/batches${query}`)
        .set('authorization', h.alice.auth)
        .attach('files', Buffer.from(`Candidate ${query}\nTypeScript`), 'c.txt');
    const economy = (await upload('?economy=true').expect(202)).body.batch.id as string;
    const urgent = (await upload('').expect(202)).body.batch.id as string;
    const bad = await upload('?economy=soon').expect(400);
    expect(bad.body).toMatchObject({ field: 'economy' });
    const jobs = await h.deps.analysisQueue.queue.getJobs(['waiting'], 0, 2_000);
    const payloadOf = (batchId: string) => jobs.find((j) => j.data.batchId === batchId)!.data;
    expect(payloadOf(economy).economy).toBe(true);
    expect(payloadOf(urgent).economy).toBeUndefined();
  });

  it('judges files by content, not by their extension', async () => {
    const jobId = await createJob(h);
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const res = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .attach('files', Buffer.from('Plain text resume\nTypeScript'), 'cv.pdf')
      .attach('files', png, 'resume.txt')
      .expect(202);
    expect(res.body.files.map((f: { status: string }) => f.status)).toEqual(['queued', 'rejected']);
    const resume = await h.store.resumes.get(h.alice.id, res.body.files[0].resumeId);
    expect(resume?.mime).toMatch(/^text\/plain/);
    expect(res.body.files[1].reason).toMatch(/not a resume format|not supported|cannot/i);
  });

  it('answers 413 while streaming, stops reading and keeps nothing', async () => {
    const jobId = await createJob(h);
    const { url } = await h.listen();
    const before = await files(h);
    const boundary = 'xBOUNDARYx';
    const total = 50 * 1024 * 1024;
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const req = httpRequest(`${url}/v1/jobs/${jobId}/batches`, {
        method: 'POST',
        headers: {
          authorization: h.alice.auth,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(total + 200),
        },
      });
      let sent = 0;
      let status = 0;
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => resolve({ status, sent }));
      });
      req.on('error', () => (status ? resolve({ status, sent }) : reject(new Error('no answer'))));
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (sent < total && !status) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(total);
    expect(await files(h)).toEqual(before);
  });

  it('leaves no file and no row behind when the client disconnects mid-upload', async () => {
    const jobId = await createJob(h);
    const { url } = await h.listen();
    const before = await files(h);
    const boundary = 'yBOUNDARYy';
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${url}/v1/jobs/${jobId}/batches`, {
        method: 'POST',
        headers: {
          authorization: h.alice.auth,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': '10000000',
        },
      });
      req.on('error', () => resolve());
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="one.txt"\r\n\r\nfirst file complete\r\n`,
      );
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="two.txt"\r\n\r\n`,
      );
      req.write(Buffer.alloc(100_000, 'b'));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      const now = await files(h);
      if (now.length === before.length && !now.some((f) => f.endsWith('.part'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await files(h)).toEqual(before);
    expect(await h.store.resumes.count(h.alice.id, { jobId })).toBe(0);
    const batches = await h.store.batches.list(h.alice.id, { jobId }, {});
    expect(batches.items).toHaveLength(0);
  });
});

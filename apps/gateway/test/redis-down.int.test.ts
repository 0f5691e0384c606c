import request from 'supertest';
import { freePort, startProcess, type RunningProcess } from '@shortlist/testkit';
import { newId } from '@shortlist/contracts';
import { makeEmail } from '../../../packages/store/test/fixtures';
import { gatewayHarness, type Harness } from './harness';
import { createJob, uploadTexts } from './helpers';

describe('Redis stopped: fast 503 with Retry-After, never a hang (own redis-server)', () => {
  let redis: RunningProcess;
  let h: Harness;
  let jobId: string;
  let batchId: string;
  let resumeId: string;
  const emailId = newId('eml');

  beforeAll(async () => {
    const port = await freePort();
    // Our own Redis, stopped by PID below: the shared one on 6379 is never touched.
    redis = startProcess(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { label: 'redis-server' },
    );
    await redis.waitFor(/Ready to accept connections/);
    h = await gatewayHarness({ redisUrl: `redis://127.0.0.1:${port}` });
    jobId = await createJob(h);
    let resumeIds: string[];
    ({ batchId, resumeIds } = await uploadTexts(h, jobId, ['before the outage']));
    resumeId = resumeIds[0]!;
    const at = new Date().toISOString();
    await h.store.emails.createIfAbsent(
      makeEmail(
        h.alice.id,
        { id: resumeId, jobId },
        {
          id: emailId,
          to: 'kept@example.test',
          status: 'sent',
          attempts: 1,
          messageId: `<${emailId}@acme.test>`,
          createdAt: at,
          updatedAt: at,
          sentAt: at,
        },
      ),
    );
    await redis.stop('SIGKILL');
    // Let the client notice the dropped connection.
    const started = Date.now();
    while (h.redis.status === 'ready' && Date.now() - started < 5_000)
      await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    await h.close();
    await redis.stop('SIGKILL');
  });

  const timed = async (run: () => Promise<request.Response>) => {
    const started = Date.now();
    const res = await run();
    return { res, ms: Date.now() - started };
  };

  it('refuses uploads with 503 and Retry-After before reading them', async () => {
    const { res, ms } = await timed(() =>
      request(h.app)
        .post(`/v1/jobs/${jobId}/batches`)
        .set('authorization', h.alice.auth)
        .send({ resumes: [{ fileName: 'a.txt', text: 'during the outage' }] }),
    );
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ms).toBeLessThan(3_000);
  });

  it('refuses live progress, queue depths and rate-limit reports with 503', async () => {
    for (const [path, auth] of [
      [`/v1/batches/${batchId}/events`, h.alice.auth],
      ['/v1/queues', h.admin.auth],
      ['/v1/rate-limit', h.alice.auth],
    ] as const) {
      const { res, ms } = await timed(() => request(h.app).get(path).set('authorization', auth));
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(res.headers['retry-after']).toBeDefined();
      expect(ms).toBeLessThan(3_000);
    }
  });

  it('does not change a job whose re-scoring cannot be queued', async () => {
    const res = await request(h.app)
      .patch(`/v1/jobs/${jobId}`)
      .set('authorization', h.alice.auth)
      .send({ description: 'A new description that changes how resumes are scored.' });
    expect(res.status).toBe(503);
    expect((await h.store.jobs.get(h.alice.id, jobId))?.version).toBe(1);
  });

  it('refuses to erase a resume or delete a job (its emails’ outbox copies could not be queued for deletion) and erases nothing', async () => {
    for (const path of [`/v1/resumes/${resumeId}`, `/v1/jobs/${jobId}`]) {
      const res = await request(h.app).delete(path).set('authorization', h.alice.auth);
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
    }
    expect(await h.store.resumes.get(h.alice.id, resumeId)).not.toBeNull();
    expect(await h.store.emails.get(h.alice.id, emailId)).toMatchObject({
      to: 'kept@example.test',
    });
  });

  it('keeps serving reads from the store, and readiness says Redis is down', async () => {
    const list = await request(h.app)
      .get(`/v1/jobs/${jobId}/resumes`)
      .set('authorization', h.alice.auth);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const ready = await request(h.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).not.toBe('ok');
  });
});

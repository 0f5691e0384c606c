import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { newId } from '@shortlist/contracts';
import { createLogger } from '@shortlist/observability';
import { PassThrough } from 'node:stream';
import { RedisCache, analysisKey } from '@shortlist/cache';
import { jobWideCacheEraser } from '../../apps/gateway/src/cache-eraser';
import { RetentionSweeper, parseRetentionByTenant } from '../../apps/gateway/src/retention';
import { gatewayHarness, type Harness } from '../../apps/gateway/test/harness';
import { createUserWithKey } from '../../apps/gateway/src/auth';
import { createJob, failResume, finishResume, uploadTexts } from '../../apps/gateway/test/helpers';

const DAY = 86_400_000;

async function blobCount(h: Harness): Promise<number> {
  const entries = await readdir(join(h.dir, 'blobs'), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

describe('security: per-tenant retention erases old resumes, files, cached analyses and email content', () => {
  let h: Harness;
  let clock: Date;
  const now = new Date('2026-06-01T12:00:00Z');
  beforeAll(async () => {
    clock = now;
    h = await gatewayHarness({ extra: { now: () => clock } });
  });
  afterAll(() => h.close());

  async function seed(auth: string, userId: string, ageDays: number, text: string) {
    clock = new Date(now.getTime() - ageDays * DAY);
    const jobId = await createJob(h, auth);
    const { resumeIds } = await uploadTexts(h, jobId, [text], auth);
    const at = clock.toISOString();
    const emailId = newId('eml');
    await h.store.emails.createIfAbsent({
      id: emailId,
      userId,
      resumeId: resumeIds[0]!,
      jobId,
      kind: 'invite',
      priority: 1,
      to: 'someone@example.com',
      subject: `Invitation ${ageDays}`,
      text: `Dear candidate ${ageDays}`,
      html: null,
      status: 'queued',
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: `${resumeIds[0]}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
      fromName: 'ACME',
      replyTo: null,
      handedOffAt: null,
    });
    clock = now;
    return { jobId, resumeId: resumeIds[0]!, emailId };
  }

  it('reads userId=days lists and refuses bad entries', () => {
    expect(parseRetentionByTenant('usr_a=30, usr_b=0')).toEqual({ usr_a: 30, usr_b: 0 });
    expect(() => parseRetentionByTenant('usr_a=thirty')).toThrow(/usr_a=thirty/);
  });

  it("a sweep erases what is past each tenant's period, files included, and keeps the rest", async () => {
    const aliceOld = await seed(h.alice.auth, h.alice.id, 40, 'Alice old resume TypeScript');
    const aliceNew = await seed(h.alice.auth, h.alice.id, 5, 'Alice new resume TypeScript');
    const bobOld = await seed(h.bob.auth, h.bob.id, 40, 'Bob old resume TypeScript');
    expect(await blobCount(h)).toBe(3);

    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => lines.push(c.toString()));
    const sweeper = new RetentionSweeper({
      store: h.store,
      blobs: h.blobs,
      redis: h.redis,
      prefix: h.prefix,
      logger: createLogger({ component: 'retention-test', stream }),
      // Alice keeps 30 days (the default); Bob's tenant keeps data until erased by hand.
      policy: { defaultDays: 30, byTenant: { [h.bob.id]: 0 } },
      cacheEraser: jobWideCacheEraser(h.deps.cache!),
      emailQueue: h.deps.emailQueue!,
    });
    // Cached analyses quote resumes: those of the swept job go, the others stay.
    const cache = new RedisCache({ redis: h.redis, prefix: h.prefix });
    const cacheKey = (jobId: string) =>
      analysisKey({
        jobId,
        jobVersion: 1,
        model: 'local',
        promptVersion: 'p1',
        blind: false,
        textHash: 'b'.repeat(64),
      });
    for (const seeded of [aliceOld, aliceNew, bobOld])
      await cache.set(cacheKey(seeded.jobId), { quote: `quote of ${seeded.resumeId}` });
    const totals = await sweeper.sweepOnce(now);
    expect(totals).toMatchObject({ resumesDeleted: 1, emailsErased: 1, orphanedBlobs: 0 });

    await request(h.app)
      .get(`/v1/resumes/${aliceOld.resumeId}`)
      .set('authorization', h.alice.auth)
      .expect(404);
    await request(h.app)
      .get(`/v1/resumes/${aliceNew.resumeId}`)
      .set('authorization', h.alice.auth)
      .expect(200);
    await request(h.app)
      .get(`/v1/resumes/${bobOld.resumeId}`)
      .set('authorization', h.bob.auth)
      .expect(200);
    expect(await blobCount(h)).toBe(2);
    expect(await cache.get(cacheKey(aliceOld.jobId))).toBeUndefined();
    expect(await cache.get(cacheKey(aliceNew.jobId))).toEqual({
      quote: `quote of ${aliceNew.resumeId}`,
    });
    expect(await cache.get(cacheKey(bobOld.jobId))).toBeDefined();

    const oldEmail = await h.store.emails.get(h.alice.id, aliceOld.emailId);
    expect(oldEmail).toMatchObject({
      to: '[erased]',
      subject: '[erased]',
      text: '',
      html: null,
      status: 'cancelled',
    });
    expect((await h.store.emails.get(h.alice.id, aliceNew.emailId))?.text).toBe('Dear candidate 5');
    expect((await h.store.emails.get(h.bob.id, bobOld.emailId))?.text).toBe('Dear candidate 40');

    // The audit line names the tenant and the counts, nothing personal.
    const audit = lines.join('');
    expect(audit).toContain('"message":"retention erased"');
    expect(audit).toContain(h.alice.id);
    expect(audit).not.toMatch(/Dear candidate|someone@example\.com|Alice old resume/);
    expect(JSON.stringify(oldEmail)).not.toContain('someone@example.com');
    expect((await h.store.emails.get(h.alice.id, aliceNew.emailId))?.to).toBe(
      'someone@example.com',
    );

    // The sweep's audit record, readable by the tenant: ids and counts, nothing personal.
    const trail = await request(h.app).get('/v1/audit').set('authorization', h.alice.auth);
    expect(trail.status).toBe(200);
    expect(trail.body.items).toEqual([
      expect.objectContaining({
        action: 'retention.swept',
        actor: { type: 'system', keyId: null },
        subjectIds: [aliceOld.resumeId],
        counts: { resumes: 1, emails: 1, blobs: 1, orphanedBlobs: 0 },
        retentionDays: 30,
        createdAt: now.toISOString(),
      }),
    ]);
    expect(trail.text).not.toMatch(/Dear candidate|someone@example\.com|Alice old resume|r0\.txt/);
    expect(
      (await request(h.app).get('/v1/audit').set('authorization', h.bob.auth)).body.items,
    ).toEqual([]);

    // A second sweep finds nothing left to do.
    expect(await sweeper.sweepOnce(now)).toMatchObject({ resumesDeleted: 0, emailsErased: 0 });
  });

  it('keeps batch counters and job stats equal to the resumes that remain, and drops emptied batches', async () => {
    const tenant = await createUserWithKey(h.store, { name: 'Carol', role: 'member' });
    const auth = `Bearer ${tenant.apiKey}`;
    const userId = tenant.user.id;
    const sweeper = new RetentionSweeper({
      store: h.store,
      blobs: h.blobs,
      redis: h.redis,
      prefix: h.prefix,
      logger: createLogger({ component: 'retention-test', stream: new PassThrough() }),
      policy: { defaultDays: 0, byTenant: { [userId]: 30 } },
      cacheEraser: null,
      emailQueue: h.deps.emailQueue!,
    });
    clock = new Date(now.getTime() - 45 * DAY);
    const jobId = await createJob(h, auth);
    const old = await uploadTexts(h, jobId, ['old one TypeScript', 'old two', 'old three'], auth);
    await finishResume(h, userId, old.resumeIds[0]!, 80, 'shortlist');
    await failResume(h, userId, old.resumeIds[1]!);
    clock = new Date(now.getTime() - 2 * DAY);
    const recent = await uploadTexts(h, jobId, ['new one TypeScript', 'new two'], auth);
    await finishResume(h, userId, recent.resumeIds[0]!, 60, 'maybe');
    clock = now;

    expect(await sweeper.sweepOnce(now)).toMatchObject({ resumesDeleted: 3, batchesDeleted: 1 });

    const get = async (path: string) =>
      (await request(h.app).get(path).set('authorization', auth).expect(200)).body;
    const rows = async (batchId: string) =>
      (await get(`/v1/jobs/${jobId}/resumes?batchId=${batchId}&limit=200`)).items as {
        status: string;
      }[];
    // A batch whose every resume expired is gone: not listed, not readable, no zero-count row.
    // The job stays (the recruiter's own record), with the statistics of what remains.
    await request(h.app).get(`/v1/batches/${old.batchId}`).set('authorization', auth).expect(404);
    const listed = (await get(`/v1/jobs/${jobId}/batches?limit=50`)).items as { id: string }[];
    expect(listed.map((b) => b.id)).toEqual([recent.batchId]);
    await get(`/v1/jobs/${jobId}`);
    const batch = await get(`/v1/batches/${recent.batchId}`);
    const remaining = await rows(recent.batchId);
    const byStatus = (s: string) => remaining.filter((r) => r.status === s).length;
    expect(batch.counts).toEqual({
      total: remaining.length,
      queued: byStatus('queued'),
      processing: byStatus('processing'),
      done: byStatus('done'),
      failed: byStatus('failed'),
      duplicate: byStatus('duplicate'),
    });
    const stats = await get(`/v1/jobs/${jobId}/stats`);
    expect(stats.total).toBe(2);
    expect(stats.byStatus).toMatchObject({ done: 1, queued: 1, failed: 0 });
    expect(stats.processing.analysed).toBe(1);
    const tenantStats = await get('/v1/stats');
    expect(tenantStats.total).toBe(2);
    expect(tenantStats.processing.analysed).toBe(1);
  });

  it('runs on a timer on one replica at a time (Redis lock)', async () => {
    const make = () =>
      new RetentionSweeper({
        store: h.store,
        blobs: h.blobs,
        redis: h.redis,
        prefix: h.prefix,
        logger: createLogger({ component: 'retention-test', stream: new PassThrough() }),
        policy: { defaultDays: 30, byTenant: {} },
        cacheEraser: null,
        emailQueue: h.deps.emailQueue!,
      });
    const [a, b] = [make(), make()];
    const sweeps: string[] = [];
    for (const [name, s] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const original = s.sweepOnce.bind(s);
      s.sweepOnce = async (at?: Date) => {
        sweeps.push(name);
        return original(at);
      };
    }
    a.start(60_000);
    b.start(60_000);
    for (let i = 0; i < 100 && sweeps.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await Promise.all([a.stop(), b.stop()]);
    expect(sweeps).toHaveLength(1);
  });
});

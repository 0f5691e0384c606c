import request from 'supertest';
import { RedisCache, analysisKey } from '@shortlist/cache';
import { AuditRecord, newId } from '@shortlist/contracts';
import { gatewayHarness, type Harness } from '../../apps/gateway/test/harness';
import { createJob, finishResume } from '../../apps/gateway/test/helpers';

const PRIYA = {
  name: 'Priya Raman',
  email: 'priya.raman@example.org',
  phone: '+1 415 555 0142',
  file: 'Priya Raman CV.txt',
};
const PII = [PRIYA.name, PRIYA.email, PRIYA.phone, PRIYA.phone.replace(/\D/g, ''), PRIYA.file];

/**
 * Erasure leaves proof that it happened, readable by the tenant at `GET /v1/audit`, and the
 * proof itself holds nothing personal: opaque ids and counts only.
 */
describe('security: erasures leave an audit record without personal data', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness();
  });
  afterAll(() => h.close());

  const audit = async (auth: string, query = '') =>
    (await request(h.app).get(`/v1/audit${query}`).set('authorization', auth).expect(200)).body as {
      items: AuditRecord[];
      nextCursor: string | null;
    };

  it('erasing a candidate stores a record the tenant can read, with ids and counts only', async () => {
    const jobId = await createJob(h);
    const upload = await request(h.app)
      .post(`/v1/jobs/${jobId}/batches`)
      .set('authorization', h.alice.auth)
      .send({
        resumes: [
          {
            fileName: PRIYA.file,
            text: `${PRIYA.name}\n${PRIYA.email} | ${PRIYA.phone}\nTypeScript, PostgreSQL`,
          },
          { fileName: 'other.txt', text: 'Another candidate\nTypeScript' },
        ],
      })
      .expect(202);
    const [resumeId] = (upload.body.files as { resumeId: string }[]).map((f) => f.resumeId);
    await finishResume(h, h.alice.id, resumeId!, 80, 'shortlist', {
      candidate: { name: PRIYA.name, email: PRIYA.email, phone: PRIYA.phone, links: [] },
    });
    const at = new Date().toISOString();
    const emailId = newId('eml');
    await h.store.emails.createIfAbsent({
      id: emailId,
      userId: h.alice.id,
      resumeId: resumeId!,
      jobId,
      kind: 'invite',
      priority: 1,
      to: PRIYA.email,
      subject: `Interview, ${PRIYA.name}`,
      text: `Dear ${PRIYA.name}`,
      html: null,
      status: 'sent',
      attempts: 2,
      lastError: `452 mailbox of <${PRIYA.email}> full, try later`,
      messageId: '<m1@example.test>',
      idempotencyKey: `${resumeId}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: at,
      fromName: 'ACME',
      replyTo: null,
      handedOffAt: null,
      unsubscribeUrl: `https://shortlist.test/v1/unsubscribe/${Buffer.from(PRIYA.email).toString('base64url')}.sig`,
    });
    expect((await audit(h.alice.auth)).items).toEqual([]);

    await request(h.app)
      .delete(`/v1/resumes/${resumeId}`)
      .set('authorization', h.alice.auth)
      .expect(204);

    // The email stays as a delivery record, without recipient, content, link or error text.
    const email = await request(h.app)
      .get(`/v1/emails/${emailId}`)
      .set('authorization', h.alice.auth)
      .expect(200);
    expect(email.body).toMatchObject({
      status: 'sent',
      to: '[erased]',
      subject: '[erased]',
      text: '',
      lastError: '[erased]',
    });
    expect(email.body.unsubscribeUrl ?? null).toBeNull();
    expect(PII.filter((s) => email.text.includes(s))).toEqual([]);
    expect(email.text).not.toContain(Buffer.from(PRIYA.email).toString('base64url'));

    const res = await request(h.app).get('/v1/audit').set('authorization', h.alice.auth);
    expect(res.status).toBe(200);
    const { items } = res.body as { items: AuditRecord[] };
    expect(items).toHaveLength(1);
    const keyId = (await h.store.apiKeys.list(h.alice.id))[0]!.id;
    expect(AuditRecord.parse(items[0])).toEqual({
      id: expect.stringMatching(/^aud_/),
      userId: h.alice.id,
      action: 'resume.erased',
      actor: { type: 'apikey', keyId },
      targetId: null,
      subjectIds: [resumeId],
      // The original file (no extracted text: the worker never ran) and the one email.
      counts: { resumes: 1, emails: 1, blobs: 1, orphanedBlobs: 0 },
      retentionDays: null,
      createdAt: expect.any(String),
    });
    expect(PII.filter((s) => res.text.includes(s))).toEqual([]);
    // The log line points at the stored record.
    expect(h.logs.join('')).toContain(items[0]!.id);
    // Another tenant sees none of it.
    expect((await audit(h.bob.auth)).items).toEqual([]);

    // Deleting the job is an erasure too: recorded with the job id and what went with it, and
    // its cached analyses (which quote resumes) go with it.
    const cache = new RedisCache({ redis: h.redis, prefix: h.prefix });
    const key = analysisKey({
      jobId,
      jobVersion: 1,
      model: 'local',
      promptVersion: 'p1',
      blind: false,
      textHash: 'c'.repeat(64),
    });
    await cache.set(key, { quote: 'TypeScript, PostgreSQL' });
    await request(h.app).delete(`/v1/jobs/${jobId}`).set('authorization', h.alice.auth).expect(204);
    expect(await cache.get(key)).toBeUndefined();
    const first = await audit(h.alice.auth, '?limit=1');
    expect(first.items[0]).toMatchObject({
      action: 'job.deleted',
      targetId: jobId,
      subjectIds: [],
      counts: { resumes: 1, emails: 1, blobs: 1, orphanedBlobs: 0 },
    });
    expect(first.nextCursor).not.toBeNull();
    const second = await audit(h.alice.auth, `?cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items.map((r) => r.subjectIds)).toEqual([[resumeId]]);
    expect(second.nextCursor).toBeNull();
  });
});

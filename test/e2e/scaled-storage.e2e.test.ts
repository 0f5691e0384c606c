import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateTextResumes,
  startFirestoreEmulator,
  startQuickStack,
  startS3Server,
  type FirestoreTestEmulator,
  type QuickStack,
  type S3TestServer,
} from '@shortlist/testkit';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis'];

/**
 * The same quick-start stack, switched to the scaled-out backends by environment variables only:
 * records in Firestore (emulator), uploaded files in S3 (s3rver). Nothing may land in DATA_DIR.
 */
describe('scaled-out storage: STORE=firestore and BLOBS=s3 end to end', () => {
  let stack: QuickStack;
  let firestore: FirestoreTestEmulator;
  let s3: S3TestServer;

  beforeAll(async () => {
    [firestore, s3] = await Promise.all([startFirestoreEmulator(), startS3Server()]);
    stack = await startQuickStack({
      name: 'e2e-scaled',
      env: {
        STORE: 'firestore',
        FIRESTORE_PROJECT_ID: firestore.projectId,
        FIRESTORE_EMULATOR_HOST: firestore.host,
        BLOBS: 's3',
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_PREFIX: s3.prefix,
      },
    });
  }, 120_000);

  afterAll(async () => {
    const output = stack?.process.output() ?? '';
    const code = stack ? await stack.close() : 0;
    await Promise.all([firestore?.stop(), s3?.stop()]);
    // A launcher that stopped early (a child crashed) says why in its own output.
    if (code !== 0) process.stderr.write(`stack output:\n${output.slice(-8_000)}\n`);
    expect(code).toBe(0);
  }, 40_000);

  it('uploads, scores and ranks resumes with records in Firestore and files in S3', async () => {
    const { api } = stack;
    const job = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Backend engineer',
        description: 'Services in TypeScript on PostgreSQL and Redis, with a focus on reliability.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
      }),
    });
    expect(job.status).toBe(201);
    const { id: jobId } = (await job.json()) as { id: string };

    const resumes = generateTextResumes(8, SKILLS);
    const form = new FormData();
    for (const r of resumes)
      form.append('files', new Blob([r.text], { type: 'text/plain' }), r.fileName);
    const upload = await api(`/v1/jobs/${jobId}/batches`, { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    const { batch } = (await upload.json()) as { batch: { id: string } };

    const finished = await stack.waitForBatch(batch.id, 60_000);
    expect(finished?.counts).toMatchObject({ total: 8, done: 8, failed: 0, queued: 0 });

    const ranked = (await (await api(`/v1/jobs/${jobId}/resumes?sort=score&limit=3`)).json()) as {
      items: { id: string; score: number }[];
      nextCursor: string | null;
    };
    expect(ranked.items).toHaveLength(3);
    expect(ranked.nextCursor).not.toBeNull();
    const rest = (await (
      await api(
        `/v1/jobs/${jobId}/resumes?sort=score&limit=50&cursor=${encodeURIComponent(ranked.nextCursor!)}`,
      )
    ).json()) as { items: { id: string; score: number }[] };
    const scores = [...ranked.items, ...rest.items].map((r) => r.score);
    expect(scores).toHaveLength(8);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Nothing went to the embedded defaults.
    expect(existsSync(join(stack.dir, 'shortlist.db'))).toBe(false);
    expect(existsSync(join(stack.dir, 'blobs'))).toBe(false);

    expect((await api(`/v1/jobs/${jobId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/jobs/${jobId}`)).status).toBe(404);
    // The deletion's audit record lives in Firestore too: the resumes and their files in S3 (plain-
    // text uploads are their own extracted text, so one file each).
    const trail = (await (await api('/v1/audit')).json()) as { items: Record<string, unknown>[] };
    expect(trail.items[0]).toMatchObject({
      action: 'job.deleted',
      targetId: jobId,
      counts: { resumes: 8, emails: 0, blobs: 8, orphanedBlobs: 0 },
    });
  }, 90_000);
});

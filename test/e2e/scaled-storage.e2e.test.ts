import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  deletePrefix,
  generateTextResumes,
  startFirestoreEmulator,
  startProcess,
  startS3Server,
  tempDir,
  testRedis,
  uniquePrefix,
  type FirestoreTestEmulator,
  type RunningProcess,
  type S3TestServer,
} from '@shortlist/testkit';

const ROOT = join(__dirname, '..', '..');
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis'];

/**
 * The same quick-start stack, switched to the scaled-out backends by environment variables only:
 * records in Firestore (emulator), uploaded files in S3 (s3rver). Nothing may land in DATA_DIR.
 */
describe('scaled-out storage: STORE=firestore and BLOBS=s3 end to end', () => {
  let stack: RunningProcess;
  let firestore: FirestoreTestEmulator;
  let s3: S3TestServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let url: string;
  let key: string;
  const prefix = uniquePrefix('e2e-scaled');

  beforeAll(async () => {
    dir = await tempDir('scaled-e2e');
    [firestore, s3] = await Promise.all([startFirestoreEmulator(), startS3Server()]);
    stack = startProcess(process.execPath, [join(ROOT, 'scripts', 'serve.mjs')], {
      cwd: ROOT,
      env: {
        DATA_DIR: dir.path,
        PORT: '0',
        REDIS_PREFIX: prefix,
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
      label: 'serve',
    });
    url = (await stack.waitFor(/running at (http:\/\/\S+)/, 90_000))[1]!;
    key = (await stack.waitFor(/API key: (sl_\S+)/))[1]!;
  }, 120_000);

  afterAll(async () => {
    const code = await stack?.stop('SIGTERM', 20_000);
    expect(code).toBe(0);
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await Promise.all([firestore?.stop(), s3?.stop()]);
    await dir?.remove();
  }, 40_000);

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
    });

  it('uploads, scores and ranks resumes with records in Firestore and files in S3', async () => {
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

    let finished: { counts: Record<string, number>; finishedAt: string | null } | undefined;
    for (let i = 0; i < 300 && !finished?.finishedAt; i++) {
      await new Promise((r) => setTimeout(r, 200));
      finished = (await (await api(`/v1/batches/${batch.id}`)).json()) as typeof finished;
    }
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
    expect(existsSync(join(dir.path, 'shortlist.db'))).toBe(false);
    expect(existsSync(join(dir.path, 'blobs'))).toBe(false);

    expect((await api(`/v1/jobs/${jobId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/jobs/${jobId}`)).status).toBe(404);
  }, 90_000);
});

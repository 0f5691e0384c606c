import { join } from 'node:path';
import {
  deletePrefix,
  generateTextResumes,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';

const ROOT = join(__dirname, '..', '..');
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];

/**
 * The quick-start launcher (`scripts/serve.mjs`, what `npm start` runs) brings up the real
 * processes; the test drives them over HTTP like an API user would.
 */
describe('walking skeleton: quick-start stack end to end', () => {
  let stack: RunningProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let url: string;
  let key: string;
  const prefix = uniquePrefix('e2e');

  beforeAll(async () => {
    dir = await tempDir('skeleton-e2e');
    stack = startProcess(process.execPath, [join(ROOT, 'scripts', 'serve.mjs')], {
      cwd: ROOT,
      env: { DATA_DIR: dir.path, PORT: '0', REDIS_PREFIX: prefix, LOG_LEVEL: 'info' },
      label: 'serve',
    });
    url = (await stack.waitFor(/running at (http:\/\/\S+)/, 60_000))[1]!;
    key = (await stack.waitFor(/API key: (sl_\S+)/))[1]!;
  }, 90_000);

  afterAll(async () => {
    const code = await stack?.stop('SIGTERM', 20_000);
    expect(code).toBe(0);
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir?.remove();
  }, 40_000);

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
    });

  it('uploads 20 text resumes, scores them all, and ranks them by score', async () => {
    const job = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Platform engineer',
        description:
          'Build services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
      }),
    });
    expect(job.status).toBe(201);
    const { id: jobId } = (await job.json()) as { id: string };

    const resumes = generateTextResumes(20, SKILLS);
    const form = new FormData();
    for (const r of resumes)
      form.append('files', new Blob([r.text], { type: 'text/plain' }), r.fileName);
    const upload = await api(`/v1/jobs/${jobId}/batches`, { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    const { batch } = (await upload.json()) as { batch: { id: string } };

    let finished: { counts: Record<string, number>; finishedAt: string | null } | undefined;
    for (let i = 0; i < 200 && !finished?.finishedAt; i++) {
      await new Promise((r) => setTimeout(r, 150));
      finished = (await (await api(`/v1/batches/${batch.id}`)).json()) as typeof finished;
    }
    expect(finished?.counts).toMatchObject({
      total: 20,
      done: 20,
      failed: 0,
      queued: 0,
      processing: 0,
    });

    const ranked = (await (await api(`/v1/jobs/${jobId}/resumes?sort=score&limit=50`)).json()) as {
      items: { fileName: string; score: number; status: string }[];
    };
    expect(ranked.items).toHaveLength(20);
    expect(ranked.items.every((r) => r.status === 'done')).toBe(true);
    const scores = ranked.items.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Truth by construction: a resume mentioning more of the skills must never rank below one with fewer.
    const matchedOf = new Map(resumes.map((r) => [r.fileName, r.matched]));
    const matchedInRankOrder = ranked.items.map((r) => matchedOf.get(r.fileName)!);
    expect(matchedInRankOrder).toEqual([...matchedInRankOrder].sort((a, b) => b - a));
    expect(ranked.items[0]!.score).toBe(100);
  }, 60_000);
});

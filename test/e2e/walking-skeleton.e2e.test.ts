import { generateTextResumes, startQuickStack, type QuickStack } from '@shortlist/testkit';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];

/**
 * The quick-start launcher (`scripts/serve.mjs`, what `npm start` runs) brings up the real
 * processes; the test drives them over HTTP like an API user would.
 */
describe('walking skeleton: quick-start stack end to end', () => {
  let stack: QuickStack;

  beforeAll(async () => {
    stack = await startQuickStack({
      name: 'e2e',
      env: { LOG_LEVEL: 'info' },
      readyTimeoutMs: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    if (stack) expect(await stack.close()).toBe(0);
  }, 40_000);

  it('uploads 20 text resumes, scores them all, and ranks them by score', async () => {
    const { api } = stack;
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

    const finished = await stack.waitForBatch(batch.id, 30_000);
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

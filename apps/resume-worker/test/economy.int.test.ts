import { costUsd, priceFor } from '@shortlist/llm';
import {
  addBatchEndpoints,
  generateTextResumes,
  startOpenAiServer,
  type BatchEndpoints,
  type OpenAiServer,
} from '@shortlist/testkit';
import { workerHarness, type WorkerHarness } from './harness';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis'];

/** Economy mode end to end: a worker process, the real SDK, the fake Files + Batches API. */
describe('economy mode through the OpenAI Batch API', () => {
  let llm: OpenAiServer;
  let batches: BatchEndpoints;
  let h: WorkerHarness;

  beforeAll(async () => {
    llm = await startOpenAiServer();
    batches = addBatchEndpoints(llm, { completeAfterMs: 300 });
    h = await workerHarness('economy');
    await h.startWorkers(1, {
      SCORER: 'openai',
      OPENAI_BASE_URL: llm.url,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'gpt-4o-mini',
      WORKER_CONCURRENCY: '100',
      ECONOMY_WINDOW_MS: '300',
      ECONOMY_POLL_MS: '100',
    });
  }, 90_000);

  afterAll(async () => {
    await h?.close();
    await llm?.close();
  }, 60_000);

  it('scores a batch through batch files at half price, with the usual progress events', async () => {
    const job = await h.createJob(SKILLS.map((name) => ({ name, weight: 1, required: false })));
    const files = generateTextResumes(30, SKILLS, 21).map((r) => ({
      fileName: r.fileName,
      bytes: Buffer.from(r.text),
    }));
    const { batch, resumes } = await h.upload(job, files, { economy: true });
    const finished = await h.waitForBatch(batch.id, 60_000);
    expect(finished.counts).toMatchObject({ total: 30, done: 30, failed: 0 });

    // No synchronous call: every request went into batch files.
    expect(llm.chatRequests()).toHaveLength(0);
    expect(batches.batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.batches.reduce((sum, b) => sum + b.requests, 0)).toBe(30);
    expect(batches.batches.every((b) => b.status === 'completed')).toBe(true);

    const price = priceFor('gpt-4o-mini')!;
    for (const resume of resumes) {
      const stored = (await h.store.resumes.get(h.userId, resume.id))!;
      expect(stored.status).toBe('done');
      const a = stored.analysis!;
      expect(a.tokensIn).toBeGreaterThan(0);
      expect(a.costUsd).toBeCloseTo(
        costUsd({ tokensIn: a.tokensIn, cachedTokensIn: 0, tokensOut: a.tokensOut }, price, 0.5),
        10,
      );
    }
    const events = h.events.filter((e) => e.batchId === batch.id);
    expect(events.filter((e) => e.type === 'resume.done')).toHaveLength(30);
    expect(events.filter((e) => e.type === 'batch.finished')).toHaveLength(1);
  }, 90_000);
});

import type { ServerResponse } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { analysisJobId, resumeTextKey } from '@shortlist/contracts';
import {
  generateTextResumes,
  startOpenAiServer,
  type ChatBody,
  type OpenAiServer,
} from '@shortlist/testkit';
import { workerHarness, type WorkerHarness, type WorkerProcess } from './harness';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];
const criteria = SKILLS.map((name) => ({ name, weight: 1, required: false }));
const files = (count: number, seed = 42) =>
  generateTextResumes(count, SKILLS, seed).map((r) => ({
    fileName: r.fileName,
    bytes: Buffer.from(r.text),
  }));

/**
 * The resume worker as operators run it: several `node src/main.ts` processes on one Redis,
 * one SQLite file and one blob folder, scoring through the real openai SDK against the testkit
 * OpenAI-compatible server.
 */
describe('resume workers as separate processes', () => {
  let llm: OpenAiServer;
  let h: WorkerHarness;
  let workers: WorkerProcess[];
  /** Every other chat request answers 429 while true. */
  let halfRateLimited = false;
  /** Latency of each successful answer, plus up to the same again as jitter (ms). */
  let latencyMs = 40;
  let chatCount = 0;

  const llmCalls = () => llm.chatRequests().filter((r) => r.status === 200).length;

  beforeAll(async () => {
    llm = await startOpenAiServer();
    const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    llm.route('POST', '/v1/chat/completions', async (_req, res, body, record) => {
      chatCount += 1;
      if (halfRateLimited && chatCount % 2 === 0) {
        record.status = 429;
        llm.stats.rateLimited += 1;
        return send(
          res,
          429,
          {
            error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
          },
          { 'retry-after-ms': '30', 'retry-after': '1' },
        );
      }
      await new Promise((r) => setTimeout(r, latencyMs * (1 + Math.random())));
      record.status = 200;
      send(res, 200, llm.completion(body as ChatBody));
    });
    h = await workerHarness('workers');
    workers = await h.startWorkers(3, {
      SCORER: 'openai',
      OPENAI_BASE_URL: llm.url,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'gpt-4o-mini',
      WORKER_CONCURRENCY: '8',
      LLM_CONCURRENCY: '8',
    });
  }, 90_000);

  afterAll(async () => {
    const codes = await h?.close();
    await llm?.close();
    // Every worker still running shuts down cleanly on SIGTERM (the killed one reports null).
    expect(codes?.filter((c) => c !== null)).toEqual(codes?.filter((c) => c !== null).map(() => 0));
  }, 60_000);

  it('finishes 200 resumes on 3 worker processes, each exactly once', async () => {
    const job = await h.createJob(criteria);
    const before = llmCalls();
    const { batch } = await h.upload(job, files(200));
    const finished = await h.waitForBatch(batch.id, 90_000);

    expect(finished.counts).toEqual({
      total: 200,
      queued: 0,
      processing: 0,
      done: 200,
      failed: 0,
      duplicate: 0,
    });
    const done = h.events.filter((e) => e.batchId === batch.id && e.type === 'resume.done');
    expect(done).toHaveLength(200);
    expect(new Set(done.map((e) => e.resumeId)).size).toBe(200);
    expect(
      h.events.filter((e) => e.batchId === batch.id && e.type === 'batch.finished'),
    ).toHaveLength(1);
    expect(llmCalls() - before).toBe(200);
    expect(await h.sumCounter('shortlist_resumes_processed_total', { outcome: 'done' })).toBe(200);
    const ranked = await h.store.resumes.list(h.userId, { batchId: batch.id }, 'score', {
      limit: 200,
    });
    expect(
      ranked.items.every((r) => r.status === 'done' && r.analysis?.model === 'gpt-4o-mini'),
    ).toBe(true);
    // A plain-text file is its own extracted text: no second copy, and the evidence quotes it.
    const best = ranked.items[0]!;
    expect(await h.blobs.exists(resumeTextKey(best.blobKey))).toBe(false);
    const text = await buffer(await h.blobs.get(best.blobKey));
    expect(text.toString()).toContain(best.analysis!.criteria.find((c) => c.evidence)!.evidence);

    // Re-running the same files for the same job is answered from the cache: no LLM call at all.
    const rerun = await h.upload(job, files(200));
    const again = await h.waitForBatch(rerun.batch.id, 60_000);
    expect(again.counts.done).toBe(200);
    expect(llmCalls() - before).toBe(200);
    const cached = await h.store.resumes.list(h.userId, { batchId: rerun.batch.id }, 'score', {
      limit: 200,
    });
    expect(cached.items.every((r) => r.analysis?.cached === true)).toBe(true);
    expect(cached.items[0]!.warnings.map((w) => w.message).join()).toMatch(
      /Same text as resume res_/,
    );
    expect(cached.items.map((r) => r.score).sort()).toEqual(
      ranked.items.map((r) => r.score).sort(),
    );
  }, 180_000);

  it('never fails a resume when the provider answers 429 half the time', async () => {
    const job = await h.createJob(criteria);
    halfRateLimited = true;
    const rateLimitedBefore = llm.stats.rateLimited;
    try {
      const { batch } = await h.upload(job, files(60, 7));
      const finished = await h.waitForBatch(batch.id, 90_000);
      expect(finished.counts).toMatchObject({ total: 60, done: 60, failed: 0 });
      expect(llm.stats.rateLimited - rateLimitedBefore).toBeGreaterThanOrEqual(30);
    } finally {
      halfRateLimited = false;
    }
  }, 120_000);

  it('makes one LLM call when workers race on the same cache key', async () => {
    const job = await h.createJob(criteria);
    const texts = generateTextResumes(10, SKILLS, 99);
    // Each text twice: byte-different files (so not upload duplicates) with the same normalised text.
    const pairs = texts.flatMap((r) => [
      { fileName: `a-${r.fileName}`, bytes: Buffer.from(r.text) },
      { fileName: `b-${r.fileName}`, bytes: Buffer.from(`${r.text.replace(/\n/g, '\r\n')}  \n`) },
    ]);
    latencyMs = 300;
    const before = llmCalls();
    const sharedBefore = await h.sumCounter('shortlist_cache_lookups_total', { result: 'shared' });
    const { batch } = await h.upload(job, pairs);
    const finished = await h.waitForBatch(batch.id, 60_000);
    expect(finished.counts).toMatchObject({ total: 20, done: 20, failed: 0 });
    expect(llmCalls() - before).toBe(10);
    expect(
      (await h.sumCounter('shortlist_cache_lookups_total', { result: 'shared' })) - sharedBefore,
    ).toBeGreaterThan(0);
  }, 90_000);

  it('fails corrupt and unreadable files alone, each with a reason', async () => {
    const job = await h.createJob(criteria);
    const good = files(10, 3);
    // A UTF-8 file with a byte-order mark: its text differs from its bytes.
    good[0] = {
      ...good[0]!,
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good[0]!.bytes]),
    };
    const bad = [
      { fileName: 'empty.txt', bytes: Buffer.alloc(0) },
      {
        fileName: 'photo.pdf',
        bytes: Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          Buffer.alloc(64, 7),
        ]),
      },
      { fileName: 'broken.pdf', bytes: Buffer.from('%PDF-1.4\n1 0 obj <<\n/Type /Cat') },
    ];
    const before = llmCalls();
    const { batch, resumes } = await h.upload(job, [...good.slice(0, 5), ...bad, ...good.slice(5)]);
    const finished = await h.waitForBatch(batch.id, 60_000);
    expect(finished.counts).toMatchObject({ total: 13, done: 10, failed: 3 });
    // Text that differs from the file's bytes is kept beside the file for the evidence view.
    const bom = resumes.find((r) => r.fileName === good[0]!.fileName)!;
    const bomText = await buffer(
      await h.blobs.get(resumeTextKey((await h.store.resumes.get(h.userId, bom.id))!.blobKey)),
    );
    expect(bomText.toString()).toBe(good[0]!.bytes.subarray(3).toString());
    expect(llmCalls() - before).toBe(10);
    for (const resume of resumes) {
      const stored = (await h.store.resumes.get(h.userId, resume.id))!;
      if (bad.some((b) => b.fileName === resume.fileName)) {
        expect(stored.status).toBe('failed');
        expect(stored.error).toMatch(/\w+.{10,}/);
        expect(stored.analysis).toBeNull();
      } else {
        expect(stored.status).toBe('done');
        // The contact details extraction found are kept on the resume.
        expect(stored.candidate.email).toMatch(/@example\.com$/);
      }
    }
    const failedEvents = h.events.filter(
      (e) => e.batchId === batch.id && e.type === 'resume.failed',
    );
    expect(failedEvents).toHaveLength(3);
  }, 90_000);

  it('answers a plain re-analysis from the cache, and calls the scorer again when forced', async () => {
    const job = await h.createJob(criteria);
    const { batch, resumes } = await h.upload(job, files(1, 23));
    await h.waitForBatch(batch.id, 60_000);
    const resume = resumes[0]!;
    const reanalyse = async (force: boolean) => {
      const at = new Date().toISOString();
      // What POST /v1/resumes/:id/reanalyze does: back to queued, then a fresh queue job.
      await h.store.resumes.transition(h.userId, resume.id, ['done'], { status: 'queued' }, at);
      const before = llmCalls();
      await h.producer.enqueue(
        'analyse-resume',
        {
          userId: h.userId,
          resumeId: resume.id,
          jobId: job.id,
          batchId: batch.id,
          jobVersion: job.version,
          ...(force ? { force } : {}),
        },
        { jobId: `${analysisJobId(resume.id, job.version)}-${force ? 'forced' : 'again'}` },
      );
      await h.waitUntil(
        async () => (await h.store.resumes.get(h.userId, resume.id))!.status === 'done',
        60_000,
        're-analysis done',
      );
      return {
        calls: llmCalls() - before,
        stored: (await h.store.resumes.get(h.userId, resume.id))!,
      };
    };
    const plain = await reanalyse(false);
    expect(plain.calls).toBe(0);
    expect(plain.stored.analysis!.cached).toBe(true);
    const forced = await reanalyse(true);
    expect(forced.calls).toBe(1);
    expect(forced.stored.analysis!.cached).toBe(false);
  }, 120_000);

  it('re-scores at a new job version while the old results stay readable, never going back', async () => {
    const job = await h.createJob([{ name: 'TypeScript', weight: 1, required: false }]);
    const { batch, resumes } = await h.upload(job, files(20, 11));
    await h.waitForBatch(batch.id, 60_000);
    const v1 = new Map(
      (await Promise.all(resumes.map((r) => h.store.resumes.get(h.userId, r.id)))).map((r) => [
        r!.id,
        r!,
      ]),
    );
    latencyMs = 400;
    const edited = (await h.store.jobs.update(
      h.userId,
      job.id,
      { criteria },
      true,
      new Date().toISOString(),
    ))!;
    expect(edited.version).toBe(2);
    await h.enqueue(resumes, edited.version);

    // While re-scoring runs, every resume still shows its version-1 analysis.
    const during = await h.store.resumes.list(h.userId, { batchId: batch.id }, 'score', {
      limit: 50,
    });
    expect(during.items.every((r) => r.status === 'done' && r.analysis !== null)).toBe(true);

    await h.waitUntil(
      async () =>
        (
          await h.store.resumes.list(h.userId, { batchId: batch.id }, 'score', { limit: 50 })
        ).items.every((r) => r.jobVersion === 2),
      60_000,
      'all resumes at job version 2',
    );
    const after = await h.store.resumes.list(h.userId, { batchId: batch.id }, 'score', {
      limit: 50,
    });
    expect(after.items.every((r) => r.status === 'done')).toBe(true);
    expect(after.items.every((r) => r.analysis!.criteria.length === 4)).toBe(true);
    expect(after.items.some((r) => r.score !== v1.get(r.id)!.score)).toBe(true);
    expect((await h.store.batches.get(h.userId, batch.id))!.counts).toMatchObject({
      total: 20,
      done: 20,
      processing: 0,
      queued: 0,
    });
    expect(
      h.events.filter((e) => e.batchId === batch.id && e.type === 'resume.rescored'),
    ).toHaveLength(20);

    // A late result for version 1 can never replace the version-2 analysis.
    const first = after.items[0]!;
    expect(
      await h.store.resumes.replaceAnalysis(
        h.userId,
        first.id,
        1,
        { score: 0 },
        new Date().toISOString(),
      ),
    ).toBeNull();
    expect((await h.store.resumes.get(h.userId, first.id))!.score).toBe(first.score);
    latencyMs = 40;
  }, 120_000);

  it('finishes every resume exactly once when a worker is killed with SIGKILL mid-batch', async () => {
    const job = await h.createJob(criteria);
    latencyMs = 150;
    const { batch } = await h.upload(job, files(200, 5));
    await h.waitUntil(
      async () => ((await h.store.batches.get(h.userId, batch.id))!.counts.done ?? 0) >= 30,
      60_000,
      '30 resumes done',
    );
    // Kill a worker while it holds scorer calls, so it dies with work in progress.
    let victim: WorkerProcess | undefined;
    await h.waitUntil(
      async () => {
        const inFlight = await Promise.all(
          workers.map((w) => w.counter('shortlist_llm_in_flight')),
        );
        victim = workers[inFlight.findIndex((n) => n > 0)];
        return victim !== undefined;
      },
      60_000,
      'a worker with scorer calls in flight',
    );
    await victim!.stop('SIGKILL');
    const finished = await h.waitForBatch(batch.id, 120_000);
    // The counters are the rows: a kill between a status change and its count cannot happen.
    const rows = await h.store.resumes.stats(h.userId, { batchId: batch.id });
    expect(finished.counts).toEqual({ total: rows.total, ...rows.byStatus });
    expect(finished.counts).toEqual({
      total: 200,
      queued: 0,
      processing: 0,
      done: 200,
      failed: 0,
      duplicate: 0,
    });
    const done = h.events.filter((e) => e.batchId === batch.id && e.type === 'resume.done');
    expect(done).toHaveLength(200);
    expect(new Set(done.map((e) => e.resumeId)).size).toBe(200);
    latencyMs = 40;
  }, 180_000);
});

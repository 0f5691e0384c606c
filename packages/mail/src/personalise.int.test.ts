import { RedisCache } from '@shortlist/cache';
import { LlmClient } from '@shortlist/llm';
import {
  deletePrefix,
  mailResponder,
  startOpenAiServer,
  testRedis,
  uniquePrefix,
  type OpenAiServer,
} from '@shortlist/testkit';
import {
  llmPersonaliser,
  localPersonaliser,
  personalise,
  type PersonalisationInput,
} from './personalise';

const input = (i: number, over: Partial<PersonalisationInput> = {}): PersonalisationInput => ({
  kind: 'invite',
  resumeId: `res_${i}`,
  resumeSha256: `${i}`.padStart(64, '0'),
  jobId: 'job_1',
  jobTitle: 'Data engineer',
  jobVersion: 1,
  matchedCriteria: ['Spark', 'Airflow'],
  templateHash: 'tpl1',
  ...over,
});

describe('personal notes: LLM (testkit server) behind the Redis cache', () => {
  let server: OpenAiServer;
  let redis: ReturnType<typeof testRedis>;
  let cache: RedisCache;
  const prefix = uniquePrefix('notes');
  const client = () =>
    new LlmClient({
      baseURL: server.url,
      apiKey: 'test',
      model: 'gpt-4o-mini',
      maxRetries: 0,
      backoffBaseMs: 10,
    });

  beforeAll(async () => {
    server = await startOpenAiServer({ responder: mailResponder() });
    redis = testRedis();
    cache = new RedisCache({ redis, prefix });
  });
  afterAll(async () => {
    await server.close();
    const cleaner = testRedis();
    await deletePrefix(cleaner, prefix);
    await cleaner.quit();
    await redis.quit();
  });
  beforeEach(() => server.configure({ responder: mailResponder() }));

  it('writes each note once; the same template, resume and job version never calls the model again', async () => {
    const personaliser = llmPersonaliser(client());
    const inputs = [input(1), input(2), input(3, { matchedCriteria: [] })];
    const before = server.chatRequests().length;
    const first = await personalise(inputs, { personaliser, cache });
    expect(first.notes).toEqual([
      'Your work with Spark and Airflow is a close match for this role.',
      'Your work with Spark and Airflow is a close match for this role.',
      null,
    ]);
    expect(first).toMatchObject({ written: 3, cached: 0, failed: 0 });
    // Nothing matched: no call for candidate 3.
    expect(server.chatRequests().length - before).toBe(2);
    const prompt = JSON.stringify(server.chatRequests().at(-1)!.body);
    expect(prompt).toContain('Spark');
    expect(prompt).not.toContain('res_');

    const again = await personalise(inputs, { personaliser, cache });
    expect(again.notes).toEqual(first.notes);
    expect(again).toMatchObject({ written: 0, cached: 3, failed: 0 });
    expect(server.chatRequests().length - before).toBe(2);

    // A new job version, another template or other resume content is a new note.
    await personalise(
      [
        input(1, { jobVersion: 2 }),
        input(1, { templateHash: 'tpl2' }),
        input(1, { resumeSha256: 'f'.repeat(64) }),
      ],
      { personaliser, cache },
    );
    expect(server.chatRequests().length - before).toBe(5);
  });

  it('computes a note once when the same candidate is asked for twice at the same time', async () => {
    server.configure({ latencyMs: 100 });
    const before = server.chatRequests().length;
    const personaliser = llmPersonaliser(client());
    const [a, b] = await Promise.all([
      personalise([input(10)], { personaliser, cache }),
      personalise([input(10)], { personaliser, cache }),
    ]);
    expect(a.notes).toEqual(b.notes);
    expect(server.chatRequests().length - before).toBe(1);
    server.configure({ latencyMs: 0 });
  });

  it('leaves the sentence out when the model fails or writes something unsafe, and caches no failure', async () => {
    const personaliser = llmPersonaliser(client());
    const failures: unknown[] = [];
    server.inject({ kind: 'status', status: 500 }, 1);
    const failed = await personalise([input(20)], {
      personaliser,
      cache,
      onFailure: (e) => failures.push(e),
    });
    expect(failed).toMatchObject({ notes: [null], failed: 1, written: 0 });
    expect(failures).toHaveLength(1);
    // The failure was not cached: the next send asks again and gets its sentence.
    const retried = await personalise([input(20)], { personaliser, cache });
    expect(retried).toMatchObject({ written: 1, failed: 0 });
    expect(retried.notes[0]).toMatch(/Spark and Airflow/);

    server.configure({
      responder: mailResponder({
        sentence: () => 'Great Spark work!\r\nBcc: everyone@evil.test\r\n\r\nCall +1 555 010 9999',
      }),
    });
    const unsafe = await personalise([input(21)], { personaliser, cache });
    expect(unsafe.notes).toEqual([null]);
    server.configure({
      responder: mailResponder({ sentence: () => 'Your Spark\r\nwork\u2028stood out' }),
    });
    const flattened = await personalise([input(22)], { personaliser, cache });
    expect(flattened.notes).toEqual(['Your Spark work stood out.']);
  });

  it('writes the sentence uncached when the cache cannot be reached', async () => {
    const dead = testRedis();
    await dead.quit();
    const offline = new RedisCache({ redis: dead, prefix });
    const result = await personalise([input(30)], {
      personaliser: llmPersonaliser(client()),
      cache: offline,
    });
    expect(result).toMatchObject({ written: 1, failed: 0 });
    expect(result.notes[0]).toMatch(/Spark and Airflow/);
  });

  it('has a deterministic local personaliser for setups without a model', async () => {
    const inputs = [
      input(40, { matchedCriteria: ['Spark', 'Airflow', 'SQL', 'Kafka'] }),
      input(41, { kind: 'reject', matchedCriteria: ['Spark'] }),
      input(42, { kind: 'custom', matchedCriteria: ['Spark', 'SQL'] }),
      input(43, { matchedCriteria: [] }),
    ];
    const notes = await personalise(inputs, { personaliser: localPersonaliser, cache });
    expect(notes).toMatchObject({ written: 4, cached: 0 });
    expect(await personalise(inputs, { personaliser: localPersonaliser, cache })).toMatchObject({
      notes: notes.notes,
      written: 0,
      cached: 4,
    });
    expect(notes.notes).toEqual([
      'Your experience with Spark, Airflow and SQL stood out to us in particular.',
      'We appreciated the experience with Spark that you described.',
      'We noted your experience with Spark and SQL.',
      null,
    ]);
  });
});

import { startOpenAiServer, type OpenAiServer } from '@shortlist/testkit';
import { z } from 'zod';
import { LlmClient, type LlmClientOptions } from './client';
import { LlmError } from './errors';

const Verdicts = z.object({
  criteria: z.array(
    z.object({
      name: z.string(),
      met: z.enum(['yes', 'partial', 'no']),
      evidence: z.string().nullable(),
    }),
  ),
  yearsExperience: z.number().nullable(),
  summary: z.string(),
});

const job = { criteria: [{ name: 'TypeScript' }, { name: 'Kubernetes' }] };
const messages = (resume = 'Built services in TypeScript for 6 years.') => [
  { role: 'system' as const, content: 'You score resumes.' },
  { role: 'user' as const, content: `<job>${JSON.stringify(job)}</job>` },
  { role: 'user' as const, content: `<resume>\n${resume}\n</resume>` },
];

describe('LlmClient against the OpenAI-compatible test server', () => {
  let server: OpenAiServer;
  const client = (options: Partial<LlmClientOptions> = {}) =>
    new LlmClient({
      baseURL: server.url,
      apiKey: 'test-key',
      model: 'gpt-4o-mini',
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      ...options,
    });
  const ask = (c: LlmClient, signal?: AbortSignal) =>
    c.structured({ messages: messages(), schema: Verdicts, schemaName: 'resume_verdicts', signal });

  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('returns the validated answer and sends temperature 0, a seed and a strict JSON schema', async () => {
    const result = await ask(client());
    expect(result.value.criteria.map((c) => c.met)).toEqual(['yes', 'no']);
    expect(result.value.yearsExperience).toBe(6);
    expect(result.requests).toBe(1);
    const sent = server.chatRequests()[0]!.body as {
      temperature: number;
      seed: number;
      response_format: {
        type: string;
        json_schema: { strict: boolean; schema: { required: string[] } };
      };
    };
    expect(sent.temperature).toBe(0);
    expect(sent.seed).toBe(7);
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.response_format.json_schema.strict).toBe(true);
    expect(sent.response_format.json_schema.schema.required).toEqual([
      'criteria',
      'yearsExperience',
      'summary',
    ]);
    expect(server.chatRequests()[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterMs: 400 });
    const result = await ask(client());
    expect(result.value.criteria).toHaveLength(2);
    const [first, second] = server.chatRequests();
    expect(first!.status).toBe(429);
    expect(second!.status).toBe(200);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(400);
    expect(result.requests).toBe(2);
  });

  it('honours Retry-After given in seconds', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 });
    await ask(client());
    const [first, second] = server.chatRequests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('never fails a call on 429s while within the rate-limit budget, however many come', async () => {
    server.inject({ kind: 'status', status: 429, retryAfterMs: 10 }, 12);
    const c = client({ maxRetries: 1 });
    const result = await ask(c);
    expect(result.requests).toBe(13);
    expect(c.totals().rateLimited).toBe(12);
  });

  it('retries a 500 and then succeeds', async () => {
    server.inject({ kind: 'status', status: 500 });
    const c = client();
    const result = await ask(c);
    expect(result.value.criteria[0]!.met).toBe('yes');
    expect(server.chatRequests().map((r) => r.status)).toEqual([500, 200]);
    expect(c.totals().retries).toBe(1);
  });

  it('fails retryably when the server keeps answering 500', async () => {
    server.inject({ kind: 'status', status: 503 }, 5);
    const error = await ask(client({ maxRetries: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).code).toBe('server_error');
    expect((error as LlmError).retryable).toBe(true);
    expect(server.chatRequests()).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    server.inject({ kind: 'status', status: 400 });
    const error = (await ask(client()).catch((e: unknown) => e)) as LlmError;
    expect(error.code).toBe('bad_request');
    expect(error.retryable).toBe(false);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('times out a hanging attempt and retries it', async () => {
    server.inject({ kind: 'timeout' });
    const result = await ask(client({ timeoutMs: 300 }));
    expect(result.value.criteria).toHaveLength(2);
    expect(server.chatRequests()).toHaveLength(2);
    expect(server.stats.timedOut).toBe(1);
  });

  it('reports a timeout when every attempt hangs', async () => {
    server.inject({ kind: 'timeout' }, 2);
    const error = (await ask(client({ timeoutMs: 200, maxRetries: 1 })).catch(
      (e: unknown) => e,
    )) as LlmError;
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('stops at once when the caller aborts', async () => {
    server.configure({ latencyMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await ask(client(), controller.signal).catch((e: unknown) => e)) as LlmError;
    expect(error.code).toBe('aborted');
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('repairs one invalid JSON answer by showing the model its mistake', async () => {
    server.inject({ kind: 'invalid-json' });
    const result = await ask(client());
    expect(result.repaired).toBe(true);
    expect(result.value.criteria).toHaveLength(2);
    const repair = server.chatRequests()[1]!.body as {
      messages: { role: string; content: string }[];
    };
    expect(repair.messages.at(-2)!.role).toBe('assistant');
    expect(repair.messages.at(-1)!.content).toMatch(/not valid: not JSON/);
  });

  it('fails clearly, without retrying, when the answer is invalid twice', async () => {
    server.inject({ kind: 'invalid-json' }, 2);
    const error = (await ask(client()).catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.code).toBe('invalid_output');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/invalid JSON twice/);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('repairs an answer that is JSON but does not match the schema', async () => {
    let calls = 0;
    server.configure({
      responder: () => {
        calls += 1;
        return calls === 1
          ? {
              criteria: [{ name: 'x', met: 'maybe', evidence: null }],
              yearsExperience: null,
              summary: '',
            }
          : { criteria: [], yearsExperience: 3, summary: 'ok' };
      },
    });
    const result = await ask(client());
    expect(result.repaired).toBe(true);
    expect(result.value.yearsExperience).toBe(3);
    const repair = server.chatRequests()[1]!.body as { messages: { content: string }[] };
    expect(repair.messages.at(-1)!.content).toMatch(/criteria\.0\.met/);
  });

  it('counts tokens and cost, pricing prompt-cache hits at the cached rate', async () => {
    const prices = { 'gpt-4o-mini': { input: 1, cachedInput: 0.5, output: 2 } };
    const c = client({ prices });
    const longJob = 'x'.repeat(6_000);
    const call = () =>
      c.structured({
        messages: [{ role: 'system', content: longJob }, ...messages()],
        schema: Verdicts,
        schemaName: 'resume_verdicts',
      });
    const first = await call();
    expect(first.cachedTokensIn).toBe(0);
    expect(first.costUsd).toBeCloseTo((first.tokensIn * 1 + first.tokensOut * 2) / 1e6, 10);
    const second = await call();
    expect(second.cachedTokensIn).toBeGreaterThanOrEqual(1_024);
    const expected =
      ((second.tokensIn - second.cachedTokensIn) * 1 +
        second.cachedTokensIn * 0.5 +
        second.tokensOut * 2) /
      1e6;
    expect(second.costUsd).toBeCloseTo(expected, 10);
    expect(second.costUsd).toBeLessThan(first.costUsd);
    const totals = c.totals();
    expect(totals.calls).toBe(2);
    expect(totals.tokensIn).toBe(first.tokensIn + second.tokensIn);
    expect(totals.costUsd).toBeCloseTo(first.costUsd + second.costUsd, 8);
  });

  it('lists the models of the endpoint', async () => {
    server.configure({ models: ['gpt-4o-mini', 'gpt-4.1-mini'] });
    expect(await client().listModels()).toEqual(['gpt-4o-mini', 'gpt-4.1-mini']);
  });
});

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from './resumes';

/** A chat completion request body as the SDK sends it (only the parts the fake reads). */
export interface ChatBody {
  model?: string;
  messages: { role: string; content: string | { type: string; text?: string }[] | null }[];
  temperature?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: {
    type: string;
    json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean };
  };
}

/** One request the fake server received, in arrival order. */
export interface RecordedRequest {
  /** `Date.now()` when the request arrived. */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or null. */
  body: unknown;
  /** The status answered (0 while pending or when the client gave up first). */
  status: number;
  /** The body's bytes (multipart uploads such as `POST /v1/files` are not parsed). */
  raw?: Buffer;
}

/** A scripted failure, served to the next matching requests before any normal answer. */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: 'timeout' }
  | { kind: 'invalid-json' };

/** Produces the assistant's content for a chat request: a string, or an object sent as JSON. */
export type Responder = (body: ChatBody) => unknown;

export interface OpenAiServerOptions {
  /** Names answered by GET /v1/models. Default `['gpt-4o-mini']`. */
  models?: string[];
  /** Added before each answer (ms), plus a uniform random jitter in [0, jitterMs]. */
  latencyMs?: number;
  jitterMs?: number;
  /** Requests per minute before 429; 0 = unlimited. */
  rpm?: number;
  /** Tokens per minute (prompt + max tokens, as providers count them) before 429; 0 = unlimited. */
  tpm?: number;
  /** Bucket size in seconds of the rate. Default 1. */
  burstSeconds?: number;
  /** Probability of an injected 500 on each chat request (for load tests). Default 0. */
  errorRate?: number;
  /** How long a `timeout` fault holds the request before dropping the connection (ms). Default 30 s. */
  hangMs?: number;
  /** Content of answers. Default {@link scoringResponder}. */
  responder?: Responder;
  /** Seed of the latency/error randomness. Default 1. */
  seed?: number;
}

/** A route handler on the fake server; extra endpoints (files, batches) plug in with `route`. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  record: RecordedRequest,
) => Promise<void> | void;

export interface OpenAiServer {
  /** Base URL for the SDK, ending in `/v1`. */
  url: string;
  port: number;
  /** Every request received, in order (bodies included: assert on what the model saw). */
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Counts by outcome. */
  stats: { served: number; rateLimited: number; failed: number; invalid: number; timedOut: number };
  /** Changes options while running (latency, limits, responder, ...). */
  configure(options: Partial<OpenAiServerOptions>): void;
  /** Serves `fault` to the next `times` chat requests. */
  inject(fault: Fault, times?: number): void;
  /** Adds or replaces an endpoint, e.g. `route('POST', '/v1/files', handler)`; `:name` segments match any value. */
  route(method: string, path: string, handler: RouteHandler): void;
  /** The answer the chat endpoint would give `body` (no limits, faults or latency): for batch endpoints. */
  completion(body: ChatBody): Record<string, unknown>;
  close(): Promise<void>;
}

/** Rough token count the fake uses (providers count ~4 characters per token in English). */
export const fakeTokens = (text: string): number => Math.ceil(text.length / 4);

function messageText(content: ChatBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

const promptOf = (body: ChatBody) =>
  body.messages.map((m) => `${m.role}:${messageText(m.content)}`).join('\n');

/** A schema-valid instance of a JSON schema: the first enum value, minimums, empty arrays. */
export function instanceOf(schema: Record<string, unknown>): unknown {
  const anyOf = schema.anyOf as Record<string, unknown>[] | undefined;
  if (anyOf) return instanceOf(anyOf.find((s) => s.type === 'null') ?? anyOf[0]!);
  const enumValues = schema.enum as unknown[] | undefined;
  if (enumValues) return enumValues[0];
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, instanceOf(v)]));
    }
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return (schema.minimum as number | undefined) ?? 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The content of the last `<tag>...</tag>` element in `text` (instructions may mention tags first). */
const between = (text: string, tag: string): string | null => {
  const matches = [...text.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))];
  return matches.length ? matches.at(-1)![1]!.trim() : null;
};

/**
 * The default responder: a deterministic stand-in for a model scoring a resume. It reads the job
 * (JSON between `<job>` tags, with `criteria[].name`) and the resume (between `<resume>` tags)
 * from the prompt and answers each criterion `yes` when all its words appear in the resume,
 * `partial` when some do, `no` otherwise, quoting the first resume line that has one of them.
 * Requests without those tags get a schema-shaped default instance. With `gullible`, a resume
 * that says "ignore previous instructions" gets every criterion `yes` (a model that falls for
 * prompt injection, to prove our defences do not depend on the model).
 */
export function scoringResponder(options: { gullible?: boolean } = {}): Responder {
  return (body) => {
    const prompt = body.messages.map((m) => messageText(m.content)).join('\n');
    const jobJson = between(prompt, 'job');
    const resume = between(prompt, 'resume');
    const schema = body.response_format?.json_schema?.schema;
    if (!jobJson || resume === null) return schema ? instanceOf(schema) : 'OK';
    const job = JSON.parse(jobJson) as { criteria?: { name: string }[] };
    const lower = resume.toLowerCase();
    const lines = resume.split('\n').filter((l) => l.trim());
    const gullible =
      options.gullible && /ignore (all )?(previous|prior) instructions/i.test(resume);
    const criteria = (job.criteria ?? []).map(({ name }) => {
      const words = name
        .toLowerCase()
        .split(/[^a-z0-9+#]+/)
        .filter((w) => w.length > 1);
      const found = words.filter((w) => lower.includes(w));
      const met = gullible
        ? 'yes'
        : found.length === words.length && words.length > 0
          ? 'yes'
          : found.length > 0
            ? 'partial'
            : 'no';
      const line = found.length
        ? lines.find((l) => l.toLowerCase().includes(found[0]!))
        : undefined;
      return { name, met, evidence: line ? line.trim().slice(0, 300) : null };
    });
    const years = [...resume.matchAll(/(\d{1,2})\+?\s+years?/gi)].map((m) => Number(m[1]));
    return {
      criteria,
      yearsExperience: years.length ? Math.max(...years) : null,
      summary: `Meets ${criteria.filter((c) => c.met === 'yes').length} of ${criteria.length} criteria. Deterministic test model.`,
    };
  };
}

class Bucket {
  private level: number;
  private ts = Date.now();
  constructor(
    private perMinute: number,
    private capacity: number,
  ) {
    this.level = capacity;
  }
  /** 0 when `cost` was taken, else ms until it would fit. */
  take(cost: number): number {
    const now = Date.now();
    this.level = Math.min(this.capacity, this.level + ((now - this.ts) * this.perMinute) / 60_000);
    this.ts = now;
    const need = Math.min(cost, this.capacity);
    if (this.level >= need) {
      this.level -= cost;
      return 0;
    }
    return Math.ceil(((need - this.level) * 60_000) / this.perMinute);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Starts an OpenAI-compatible HTTP server on 127.0.0.1 (a free port) for tests and benchmarks:
 * `POST /v1/chat/completions` (with `response_format` json_schema), `GET /v1/models`, latency and
 * jitter, RPM/TPM limits answering 429 with `retry-after` / `retry-after-ms`, scripted faults
 * (500s, timeouts, invalid JSON), simulated prompt caching (a repeated prompt prefix of at least
 * 1,024 tokens is reported as `cached_tokens`), and a record of every request.
 */
export async function startOpenAiServer(initial: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  let options: OpenAiServerOptions = { ...initial };
  let random = seededRandom(options.seed ?? 1);
  let requestBucket: Bucket | null = null;
  let tokenBucket: Bucket | null = null;
  const resetBuckets = () => {
    const burst = options.burstSeconds ?? 1;
    requestBucket = options.rpm
      ? new Bucket(options.rpm, Math.max(1, (options.rpm / 60) * burst))
      : null;
    tokenBucket = options.tpm
      ? new Bucket(options.tpm, Math.max(1, (options.tpm / 60) * burst))
      : null;
  };
  resetBuckets();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const stats = { served: 0, rateLimited: 0, failed: 0, invalid: 0, timedOut: 0 };
  const seenPrefixes = new Set<string>();
  const routes = new Map<string, RouteHandler>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let completionCounter = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** Prompt tokens a provider would have served from its prefix cache (128-token steps from 1,024). */
  const cachedTokensFor = (prompt: string): number => {
    let cached = 0;
    for (let chars = 4_096; chars <= prompt.length; chars += 512) {
      const key = createHash('sha1').update(prompt.slice(0, chars)).digest('hex');
      if (seenPrefixes.has(key)) cached = chars / 4;
      else seenPrefixes.add(key);
    }
    return cached;
  };

  const completion = (body: ChatBody): Record<string, unknown> => {
    const responder = options.responder ?? scoringResponder();
    const produced = responder(body);
    const content = typeof produced === 'string' ? produced : JSON.stringify(produced);
    const prompt = promptOf(body);
    const promptTokens = fakeTokens(prompt);
    completionCounter += 1;
    return {
      id: `chatcmpl-fake-${completionCounter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? options.models?.[0] ?? 'gpt-4o-mini',
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: fakeTokens(content),
        total_tokens: promptTokens + fakeTokens(content),
        prompt_tokens_details: { cached_tokens: cachedTokensFor(prompt) },
      },
    };
  };

  const chat: RouteHandler = async (req, res, raw, record) => {
    const body = raw as ChatBody | null;
    if (!body || !Array.isArray(body.messages)) {
      record.status = 400;
      return sendJson(res, 400, {
        error: {
          message: 'messages is required',
          type: 'invalid_request_error',
          param: 'messages',
        },
      });
    }
    const tokens =
      fakeTokens(promptOf(body)) + (body.max_tokens ?? body.max_completion_tokens ?? 256);
    const waitR = requestBucket?.take(1) ?? 0;
    const waitT = waitR === 0 ? (tokenBucket?.take(tokens) ?? 0) : 0;
    if (waitR > 0 || waitT > 0) {
      const ms = Math.max(waitR, waitT);
      stats.rateLimited += 1;
      record.status = 429;
      return sendJson(
        res,
        429,
        {
          error: {
            message: `Rate limit reached for ${waitR > 0 ? 'requests' : 'tokens'}. Please try again in ${ms}ms.`,
            type: waitR > 0 ? 'requests' : 'tokens',
            code: 'rate_limit_exceeded',
          },
        },
        { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) },
      );
    }
    const fault: Fault | undefined =
      faults.shift() ??
      (options.errorRate && random() < options.errorRate
        ? { kind: 'status', status: 500 }
        : undefined);
    const latency = (options.latencyMs ?? 0) + random() * (options.jitterMs ?? 0);
    if (fault?.kind === 'timeout') {
      stats.timedOut += 1;
      await wait(options.hangMs ?? 30_000);
      req.socket.destroy();
      return;
    }
    if (latency > 0) await wait(latency);
    if (fault?.kind === 'status') {
      stats.failed += 1;
      record.status = fault.status;
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      if (fault.status === 429) stats.rateLimited += 1;
      return sendJson(
        res,
        fault.status,
        { error: { message: `Injected ${fault.status}`, type: 'server_error', code: null } },
        headers,
      );
    }
    const answer = completion(body);
    if (fault?.kind === 'invalid-json') {
      stats.invalid += 1;
      const choice = (answer.choices as { message: { content: string } }[])[0]!;
      choice.message.content = choice.message.content.slice(
        0,
        Math.max(1, Math.floor(choice.message.content.length / 2)),
      );
    } else {
      stats.served += 1;
    }
    record.status = 200;
    sendJson(res, 200, answer);
  };

  routes.set('POST /v1/chat/completions', chat);
  routes.set('GET /v1/models', (_req, res, _body, record) => {
    record.status = 200;
    sendJson(res, 200, {
      object: 'list',
      data: (options.models ?? ['gpt-4o-mini']).map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'shortlist-testkit',
      })),
    });
  });

  /** A route registered with `:name` segments (e.g. `/v1/batches/:id`) matching `path`. */
  const paramRoute = (method: string, path: string): RouteHandler | undefined => {
    const segments = path.split('/');
    for (const [key, handler] of routes) {
      const [routeMethod, routePath] = key.split(' ') as [string, string];
      const pattern = routePath.split('/');
      if (
        routeMethod === method &&
        pattern.length === segments.length &&
        pattern.every((part, i) => part.startsWith(':') || part === segments[i])
      )
        return handler;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      let body: unknown = null;
      if (text && /json/.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      const record: RecordedRequest = {
        at: Date.now(),
        method: req.method ?? 'GET',
        path,
        headers: { ...req.headers },
        body,
        status: 0,
        raw,
      };
      requests.push(record);
      const handler = routes.get(`${record.method} ${path}`) ?? paramRoute(record.method, path);
      if (!handler) {
        record.status = 404;
        return sendJson(res, 404, { error: { message: `No route ${record.method} ${path}` } });
      }
      Promise.resolve(handler(req, res, body, record)).catch((error: unknown) => {
        record.status = 500;
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    stats,
    configure(next) {
      options = { ...options, ...next };
      if ('seed' in next) random = seededRandom(options.seed ?? 1);
      if ('rpm' in next || 'tpm' in next || 'burstSeconds' in next) resetBuckets();
    },
    inject(fault, times = 1) {
      for (let i = 0; i < times; i += 1) faults.push(fault);
    },
    route(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    completion,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

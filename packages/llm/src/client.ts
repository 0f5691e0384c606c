import OpenAI from 'openai';
import type { z } from 'zod';
import { backoffDelay, retryAfterMs, sleep } from './backoff';
import { LlmError, type LlmErrorCode } from './errors';
import { strictJsonSchema } from './json-schema';
import { unlimited, type RateLimiter } from './limiter';
import { costUsd, DEFAULT_PRICES, priceFor, type PriceTable, type TokenUsage } from './prices';

/** A chat message we send. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Enough of a logger for the client (the observability logger fits). */
export interface LlmLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

export interface LlmClientOptions {
  /** OpenAI-compatible endpoint, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  apiKey: string;
  model: string;
  /** One attempt's time limit (ms). Default 60 s. */
  timeoutMs?: number;
  /** Retries after a 5xx, a timeout or a dropped connection. Default 4. */
  maxRetries?: number;
  /**
   * How long 429 answers are retried (ms) before the call fails as retryable, so the queue
   * tries the job later. Default 15 minutes: a rate limit delays a job, never fails it.
   */
  rateLimitBudgetMs?: number;
  /** First backoff step and its cap (ms). Default 500 / 30,000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Sent with every request for reproducible sampling (with temperature 0). Default 7. */
  seed?: number;
  /**
   * `max_tokens` of an answer. Default 1,024. Providers charge it in full against TPM when a
   * request is admitted, whatever the answer's length, and so does the limiter.
   */
  maxOutputTokens?: number;
  limiter?: RateLimiter;
  prices?: PriceTable;
  /** 0.5 when calls go through the Batch API. Default 1. */
  priceDiscount?: number;
  logger?: LlmLogger;
  random?: () => number;
  /** Extra headers on every request (e.g. `api-key` for Azure). */
  defaultHeaders?: Record<string, string>;
  /** Replaces the SDK's HTTP fetch (economy mode routes calls through the Batch API). */
  fetch?: typeof fetch;
}

/** A structured-output call. */
export interface StructuredRequest<T> {
  messages: ChatMessage[];
  schema: z.ZodType<T>;
  /** Name of the schema as the provider sees it (letters, digits, _ and -). */
  schemaName: string;
  signal?: AbortSignal;
  /** Overrides the client's seed (consensus runs use different seeds). */
  seed?: number;
}

export interface StructuredResult<T> extends TokenUsage {
  value: T;
  /** The model that answered (the provider's name for it). */
  model: string;
  costUsd: number;
  /** HTTP requests made, including retries and the repair request. */
  requests: number;
  /** True when the first answer was invalid and the repair request fixed it. */
  repaired: boolean;
  durationMs: number;
}

/** Running totals of one client, for logs, metrics and benchmarks. */
export interface LlmTotals extends TokenUsage {
  calls: number;
  requests: number;
  retries: number;
  rateLimited: number;
  repairs: number;
  failures: number;
  costUsd: number;
}

const estimateTokens = (messages: ChatMessage[]) =>
  Math.ceil(messages.reduce((sum, m) => sum + m.content.length + 4, 0) / 4);

type Completion = OpenAI.Chat.Completions.ChatCompletion;

/**
 * The GPT client: the official `openai` SDK against any OpenAI-compatible endpoint (OpenAI, Azure
 * OpenAI, Ollama, vLLM), with JSON-schema structured output validated by zod and repaired once,
 * temperature 0 and a seed, per-attempt timeouts and caller AbortSignals, our own retries
 * (exponential backoff with jitter, honouring Retry-After; the SDK's are off so every attempt
 * goes through the shared limiter and a 429 pauses all workers), and token/cost accounting.
 */
export class LlmClient {
  readonly model: string;
  private readonly openai: OpenAI;
  private readonly limiter: RateLimiter;
  private readonly prices: PriceTable;
  private readonly random: () => number;
  private readonly o: Required<
    Pick<
      LlmClientOptions,
      | 'timeoutMs'
      | 'maxRetries'
      | 'rateLimitBudgetMs'
      | 'backoffBaseMs'
      | 'backoffMaxMs'
      | 'seed'
      | 'maxOutputTokens'
      | 'priceDiscount'
    >
  >;
  private readonly totalsState: LlmTotals = {
    calls: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    repairs: 0,
    failures: 0,
    tokensIn: 0,
    cachedTokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
  };
  private warnedUnpriced = false;

  constructor(private readonly options: LlmClientOptions) {
    this.model = options.model;
    this.openai = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 60_000,
      defaultHeaders: options.defaultHeaders,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.limiter = options.limiter ?? unlimited;
    this.prices = options.prices ?? DEFAULT_PRICES;
    this.random = options.random ?? Math.random;
    this.o = {
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 4,
      rateLimitBudgetMs: options.rateLimitBudgetMs ?? 15 * 60_000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      seed: options.seed ?? 7,
      maxOutputTokens: options.maxOutputTokens ?? 1_024,
      priceDiscount: options.priceDiscount ?? 1,
    };
  }

  /** A copy of the running totals. */
  totals(): LlmTotals {
    return { ...this.totalsState };
  }

  /** Models the endpoint offers (`GET /models`); used as a start-up check. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = [];
    for await (const model of this.openai.models.list({ signal })) ids.push(model.id);
    return ids;
  }

  /**
   * Asks for a JSON answer matching `schema`. An answer that is not valid JSON or does not match
   * gets one repair request (the model sees its answer and the validation error); a second bad
   * answer fails with `invalid_output`, not retryable.
   */
  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const started = performance.now();
    const jsonSchema = strictJsonSchema(request.schema);
    const usage: TokenUsage = { tokensIn: 0, cachedTokensIn: 0, tokensOut: 0 };
    let requests = 0;
    let model = this.model;
    const ask = async (messages: ChatMessage[]) => {
      const { completion, attempts } = await this.complete(
        messages,
        {
          type: 'json_schema',
          json_schema: { name: request.schemaName, schema: jsonSchema, strict: true },
        },
        request.signal,
        request.seed,
      );
      requests += attempts;
      model = completion.model || model;
      usage.tokensIn += completion.usage?.prompt_tokens ?? 0;
      usage.cachedTokensIn += completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      usage.tokensOut += completion.usage?.completion_tokens ?? 0;
      return completion;
    };
    const finish = (value: T, repaired: boolean): StructuredResult<T> => {
      const price = priceFor(model, this.prices) ?? priceFor(this.model, this.prices);
      if (!price && !this.warnedUnpriced) {
        this.warnedUnpriced = true;
        this.options.logger?.warn('no price for model; cost counted as 0 (set LLM_PRICES)', {
          model,
        });
      }
      const cost = costUsd(usage, price, this.o.priceDiscount);
      Object.assign(this.totalsState, {
        calls: this.totalsState.calls + 1,
        repairs: this.totalsState.repairs + (repaired ? 1 : 0),
        tokensIn: this.totalsState.tokensIn + usage.tokensIn,
        cachedTokensIn: this.totalsState.cachedTokensIn + usage.cachedTokensIn,
        tokensOut: this.totalsState.tokensOut + usage.tokensOut,
        costUsd: Math.round((this.totalsState.costUsd + cost) * 1e8) / 1e8,
      });
      return {
        value,
        model,
        ...usage,
        costUsd: cost,
        requests,
        repaired,
        durationMs: Math.round(performance.now() - started),
      };
    };

    try {
      const first = await ask(request.messages);
      const firstParse = this.parse(first, request.schema);
      if (firstParse.ok) return finish(firstParse.value, false);
      this.options.logger?.warn('model answer invalid; asking once to repair it', {
        model,
        problem: firstParse.problem,
      });
      const second = await ask([
        ...request.messages,
        { role: 'assistant', content: firstParse.raw },
        {
          role: 'user',
          content:
            `Your previous answer was not valid: ${firstParse.problem}. ` +
            'Answer again with only a JSON object that matches the required schema.',
        },
      ]);
      const secondParse = this.parse(second, request.schema);
      if (secondParse.ok) return finish(secondParse.value, true);
      throw new LlmError(
        'invalid_output',
        `The model answered invalid JSON twice (${secondParse.problem}).`,
        false,
      );
    } catch (error) {
      this.totalsState.failures += 1;
      throw error;
    }
  }

  private parse<T>(
    completion: Completion,
    schema: z.ZodType<T>,
  ): { ok: true; value: T } | { ok: false; problem: string; raw: string } {
    const message = completion.choices[0]?.message;
    const raw = message?.content ?? '';
    if (message?.refusal) return { ok: false, problem: `refusal: ${message.refusal}`, raw };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      const reason =
        completion.choices[0]?.finish_reason === 'length' ? ' (cut at max tokens)' : '';
      return { ok: false, problem: `not JSON${reason}: ${(error as Error).message}`, raw };
    }
    const result = schema.safeParse(json);
    if (result.success) return { ok: true, value: result.data };
    const problem = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, problem: `does not match the schema: ${problem}`, raw };
  }

  /** One chat completion with our retry policy; counts attempts. */
  private async complete(
    messages: ChatMessage[],
    responseFormat: OpenAI.Chat.Completions.ChatCompletionCreateParams['response_format'],
    signal?: AbortSignal,
    seed = this.o.seed,
  ): Promise<{ completion: Completion; attempts: number }> {
    // What the provider charges against TPM on admission: the prompt plus the whole `max_tokens`,
    // with no refund for a shorter answer. Crediting unused answer tokens back would let the
    // limiter admit more than the provider does, and the difference comes back as 429s.
    const promptEstimate = estimateTokens(messages);
    const charge = promptEstimate + this.o.maxOutputTokens;
    let attempts = 0;
    let failures = 0;
    let rateLimitedSince: number | null = null;
    let rateLimitedCount = 0;
    for (;;) {
      await this.limiter.acquire({ requests: 1, tokens: charge }, signal);
      attempts += 1;
      this.totalsState.requests += 1;
      // Our own per-attempt deadline, so a timeout is told apart from a dropped connection
      // whatever realm the SDK's abort error comes from.
      const deadline = AbortSignal.timeout(this.o.timeoutMs);
      try {
        const completion = await this.openai.chat.completions.create(
          {
            model: this.model,
            messages,
            temperature: 0,
            seed,
            max_tokens: this.o.maxOutputTokens,
            response_format: responseFormat,
          },
          {
            signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
            timeout: this.o.timeoutMs + 1_000,
            maxRetries: 0,
          },
        );
        // Only our guess of the prompt's size is corrected; the answer's allowance stays spent.
        const promptTokens = completion.usage?.prompt_tokens ?? 0;
        if (promptTokens > 0) await this.limiter.adjust(promptTokens - promptEstimate);
        return { completion, attempts };
      } catch (error) {
        const failure = this.classify(error, signal, deadline);
        let delay: number;
        if (failure.code === 'rate_limited') {
          rateLimitedSince ??= Date.now();
          rateLimitedCount += 1;
          this.totalsState.rateLimited += 1;
          if (Date.now() - rateLimitedSince > this.o.rateLimitBudgetMs) {
            throw new LlmError(
              'rate_limited',
              `Still rate limited after ${Math.round(this.o.rateLimitBudgetMs / 1000)} s; try again later.`,
              true,
              429,
              { cause: error },
            );
          }
          delay =
            failure.retryAfterMs !== null
              ? failure.retryAfterMs + this.random() * Math.min(250, failure.retryAfterMs * 0.1)
              : backoffDelay(
                  rateLimitedCount,
                  this.o.backoffBaseMs,
                  this.o.backoffMaxMs,
                  this.random,
                );
          await this.limiter.pause(delay);
        } else if (failure.retryable) {
          failures += 1;
          if (failures > this.o.maxRetries) {
            throw new LlmError(
              failure.code,
              `${failure.message} (gave up after ${attempts} attempts)`,
              true,
              failure.status,
              { cause: error },
            );
          }
          delay = Math.max(
            failure.retryAfterMs ?? 0,
            backoffDelay(failures, this.o.backoffBaseMs, this.o.backoffMaxMs, this.random),
          );
        } else {
          throw new LlmError(failure.code, failure.message, false, failure.status, {
            cause: error,
          });
        }
        this.totalsState.retries += 1;
        this.options.logger?.debug('llm call retried', {
          code: failure.code,
          status: failure.status,
          attempt: attempts,
          delayMs: Math.round(delay),
        });
        await sleep(delay, signal);
      }
    }
  }

  private classify(
    error: unknown,
    signal: AbortSignal | undefined,
    deadline: AbortSignal,
  ): {
    code: LlmErrorCode;
    message: string;
    retryable: boolean;
    status?: number;
    retryAfterMs: number | null;
  } {
    if (signal?.aborted) {
      return {
        code: 'aborted',
        message: 'The call was aborted.',
        retryable: false,
        retryAfterMs: null,
      };
    }
    if (deadline.aborted || error instanceof OpenAI.APIConnectionTimeoutError) {
      return {
        code: 'timeout',
        message: `No answer within ${this.o.timeoutMs} ms`,
        retryable: true,
        retryAfterMs: null,
      };
    }
    if (error instanceof OpenAI.APIConnectionError) {
      return { code: 'connection', message: error.message, retryable: true, retryAfterMs: null };
    }
    if (error instanceof OpenAI.APIError) {
      const status = error.status ?? 0;
      const retryAfter = retryAfterMs(error.headers);
      if (status === 429)
        return {
          code: 'rate_limited',
          message: 'Rate limited',
          retryable: true,
          status,
          retryAfterMs: retryAfter,
        };
      if (status >= 500 || status === 408 || status === 409)
        return {
          code: 'server_error',
          message: `Provider error ${status}`,
          retryable: true,
          status,
          retryAfterMs: retryAfter,
        };
      return {
        code: status === 401 || status === 403 ? 'auth' : 'bad_request',
        message: `Provider refused the request (${status}): ${error.message}`,
        retryable: false,
        status,
        retryAfterMs: null,
      };
    }
    throw error;
  }
}

import { UnrecoverableError } from '@shortlist/queue';

/**
 * Why a resume failed, as a bounded label for metrics. The recruiter sees the error message; the
 * label only groups failures on dashboards.
 */
export type FailureCode =
  | 'unreadable'
  | 'empty'
  | 'garbled'
  | 'truncated'
  | 'encrypted'
  | 'corrupt'
  | 'missing_file'
  | 'job_deleted'
  | 'provider_rejected'
  | 'retries_exhausted'
  | 'stalled';

/** A failure retrying cannot fix (the file itself, or the provider refusing the request). */
export class BadResumeError extends UnrecoverableError {
  constructor(
    message: string,
    readonly code: FailureCode,
  ) {
    super(message);
    this.name = 'BadResumeError';
  }
}

/** What to do about an error from a scorer or a provider. */
export type ErrorClass = 'rate_limited' | 'transient' | 'rejected';

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/**
 * Sorts an error by HTTP status when it has one (the openai SDK's `APIError.status`, or our
 * `AppError` codes): 429 is rate limiting (waited out, never a failure), 408/409/5xx and network
 * errors are transient (retried with backoff), other 4xx are the provider rejecting the request
 * (unrecoverable). Anything unknown is treated as transient so it is retried, not lost.
 */
export function classifyError(error: unknown): ErrorClass {
  const e = error as {
    status?: unknown;
    code?: unknown;
    name?: unknown;
    retryable?: unknown;
  } | null;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status === 429 || e?.code === 'rate_limited' || e?.name === 'RateLimitError')
    return 'rate_limited';
  // @shortlist/llm's LlmError says itself whether trying again can help.
  if (typeof e?.retryable === 'boolean') return e.retryable ? 'transient' : 'rejected';
  if (status !== undefined) {
    if (status === 408 || status === 409 || status >= 500) return 'transient';
    if (status >= 400) return 'rejected';
  }
  if (typeof e?.code === 'string' && TRANSIENT_CODES.has(e.code)) return 'transient';
  return 'transient';
}

/** `Retry-After` of a rate-limit error in ms, when the provider sent one. */
export function retryAfterMs(error: unknown): number | undefined {
  const e = error as {
    headers?: Headers | Record<string, string | undefined>;
    retryAfterMs?: unknown;
  } | null;
  if (typeof e?.retryAfterMs === 'number') return e.retryAfterMs;
  const headers = e?.headers;
  const raw =
    headers instanceof Headers
      ? (headers.get('retry-after-ms') ?? headers.get('retry-after'))
      : (headers?.['retry-after-ms'] ?? headers?.['retry-after']);
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds))
    return headers instanceof Headers && headers.get('retry-after-ms') ? seconds : seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Why an LLM call failed, for logs, metrics and the retry decision. */
export type LlmErrorCode =
  | 'rate_limited'
  | 'timeout'
  | 'server_error'
  | 'connection'
  | 'bad_request'
  | 'auth'
  | 'invalid_output'
  | 'aborted';

/**
 * An LLM call that did not produce a usable answer. `retryable` tells the queue worker whether
 * trying the whole job again later can help (rate limits, outages) or not (bad request, a model
 * that answers invalid JSON twice).
 */
export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LlmError';
  }
}

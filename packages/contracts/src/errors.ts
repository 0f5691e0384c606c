/**
 * Error codes known to clients. The HTTP status of each lives in one table so that every layer
 * throws an {@link AppError} with a code and never thinks about HTTP.
 */
export const ErrorStatus = {
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ErrorStatus;

/** One invalid field in a request: `field` is a dotted path such as `criteria.0.weight`. */
export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** The request field at fault, when there is exactly one. */
  field?: string;
  /** Every invalid field, for validation errors. */
  errors?: FieldError[];
  cause?: unknown;
  /** Extra members copied into the problem document (e.g. `retryAfterSeconds`). */
  extra?: Record<string, unknown>;
}

/** The only error type the application throws on purpose. Its message is shown to users. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.errors = options.errors;
    this.extra = options.extra;
  }

  get status(): number {
    return ErrorStatus[this.code];
  }
}

/** RFC 9457 problem document, as the API renders it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  field?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request',
  invalid_cursor: 'Invalid cursor',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Cannot process',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

/** Renders an {@link AppError} as a problem document. */
export function toProblem(error: AppError, instance?: string): ProblemDocument {
  return {
    type: `urn:shortlist:problem:${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.field ? { field: error.field } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.extra ?? {}),
  };
}

import type { ProblemDocument } from './types';

/**
 * An API failure in words a recruiter can read. `detail` comes from the server's problem document
 * (written for people) or from a fixed sentence here; raw bodies and stacks are never shown.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly fieldErrors: { field: string; message: string }[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      field?: string;
      fieldErrors?: { field: string; message: string }[];
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Your session has expired or the key is not valid. Sign in again.',
  403: 'You are not allowed to do that.',
  404: 'That item does not exist (it may have been deleted).',
  409: 'Someone changed this at the same time. Reload and try again.',
  413: 'That is too large to upload.',
  415: 'That file type is not supported.',
  429: 'Too many requests right now. Wait a moment and try again.',
  503: 'The service is busy or restarting. Try again in a moment.',
};

function fallbackMessage(status: number): string {
  return (
    FALLBACK_MESSAGES[status] ??
    (status >= 500 ? 'Something went wrong on the server. Try again.' : 'The request failed.')
  );
}

/** Builds an {@link ApiError} from a failed response without ever surfacing its raw body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let problem: Partial<ProblemDocument> | null = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    problem = (await response.json().catch(() => null)) as Partial<ProblemDocument> | null;
  }
  const detail =
    typeof problem?.detail === 'string' && problem.detail.length > 0 && problem.detail.length < 500
      ? problem.detail
      : fallbackMessage(response.status);
  return new ApiError(response.status, String(problem?.code ?? `http_${response.status}`), detail, {
    ...(typeof problem?.field === 'string' ? { field: problem.field } : {}),
    ...(Array.isArray(problem?.errors) ? { fieldErrors: problem.errors } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

export const NETWORK_ERROR_MESSAGE =
  'Cannot reach Shortlist. Check your connection; the page retries when it is back.';

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface ClientOptions {
  /** Bearer token: an API key or a Firebase ID token. */
  getToken: () => Promise<string | null> | string | null;
  /** Called when the server answers 401, so the app can return to sign-in. */
  onUnauthorized?: () => void;
  baseUrl?: string;
}

/** Thin fetch wrapper: bearer auth, JSON in and out, problem documents to {@link ApiError}. */
export class HttpClient {
  constructor(private readonly options: ClientOptions) {}

  url(path: string): string {
    return `${this.options.baseUrl ?? ''}${path}`;
  }

  async authHeaders(): Promise<Record<string, string>> {
    const token = await this.options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(await this.authHeaders()), ...(init.headers as Record<string, string>) };
    let response: Response;
    try {
      response = await fetch(this.url(path), { ...init, headers });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (response.status === 401) this.options.onUnauthorized?.();
      throw error;
    }
    return response;
  }

  async json<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const { json, ...rest } = init;
    const response = await this.fetch(path, {
      ...rest,
      headers: {
        accept: 'application/json',
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(rest.headers as Record<string, string>),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.json<T>(withQuery(path, query), signal ? { signal } : {});
  }
}

import type { ProblemDocument } from '@shortlist/contracts';
import { CliError, ExitCode, UsageError, type ExitCodeValue } from '../exit-codes';

/** The exit code a script sees for an HTTP error status. */
export function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.unauthorized;
  if (status === 503 || status === 504 || status === 502) return ExitCode.unavailable;
  if (status >= 400 && status < 500) return ExitCode.rejected;
  return ExitCode.failure;
}

/** An error answer from the server, with its problem document when there is one. */
export class ApiError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly problem: Partial<ProblemDocument> | null,
  ) {
    super(message, exitCodeForStatus(status));
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Extra fetch init (e.g. `duplex` for streamed bodies). */
  init?: RequestInit & { duplex?: 'half' };
}

/** A thin client for the Shortlist HTTP API: bearer auth, problem+json errors as {@link ApiError}. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UsageError(
        `--server must be a URL such as http://127.0.0.1:8080 (got "${baseUrl}").`,
      );
    }
    if (!/^https?:$/.test(url.protocol))
      throw new UsageError(`--server must start with http:// or https:// (got "${baseUrl}").`);
    this.baseUrl = url.toString().replace(/\/+$/, '');
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** Sends a request and returns the raw response when it is 2xx. */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
      ...options.headers,
    };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        ...options.init,
        method,
        headers,
        body: body ?? null,
        signal: options.signal ?? null,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Cannot reach the server at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}).`,
        ExitCode.unavailable,
        'Is it running? Start one with "shortlist serve", or check --server / SHORTLIST_SERVER.',
      );
    }
    if (!response.ok) throw await toApiError(response, method, path);
    return response;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.raw(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, json?: unknown): Promise<T> {
    return this.request<T>('POST', path, { json: json ?? {} });
  }
}

async function toApiError(response: Response, method: string, path: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let problem: Partial<ProblemDocument> | null = null;
  try {
    problem = JSON.parse(text) as Partial<ProblemDocument>;
  } catch {
    /* not JSON: an HTML error page from a proxy, or plain text */
  }
  const detail =
    problem?.detail ?? (text.trim().slice(0, 200) || response.statusText || 'no details');
  const field = problem?.field ? ` (field: ${problem.field})` : '';
  const retry = response.headers.get('retry-after');
  const message =
    response.status === 401
      ? `The server refused the API key: ${detail}`
      : `${method} ${path} failed with ${response.status}: ${detail}${field}${retry ? `; retry after ${retry}s` : ''}`;
  return new ApiError(message, response.status, problem);
}

/**
 * A 404 from a route the server does not have (an older server, or a feature not deployed) becomes
 * a message saying so; other errors pass through.
 */
export function explainMissingRoute(error: unknown, route: string, hint?: string): never {
  const noRoute =
    error instanceof ApiError &&
    (error.status === 405 ||
      (error.status === 404 && /no route/i.test(error.problem?.detail ?? '')));
  if (noRoute) throw new CliError(`The server has no ${route} endpoint.`, ExitCode.rejected, hint);
  throw error;
}

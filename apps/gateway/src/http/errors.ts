import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, toProblem } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';

/** Turns zod issues into an `AppError` naming each field at fault. */
export function fromZod(error: ZodError, where: 'body' | 'query' | 'params' = 'body'): AppError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.message,
  }));
  const first = errors[0]!;
  return new AppError('validation_failed', `${first.field}: ${first.message}`, {
    field: first.field,
    errors,
  });
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
};

/** Renders every error as `application/problem+json`; unknown errors become a generic 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error instanceof ZodError) appError = fromZod(error);
    else if (isBodyParserError(error)) {
      appError =
        error.type === 'entity.too.large'
          ? new AppError('payload_too_large', 'The request body is too large.', { field: 'body' })
          : new AppError('validation_failed', 'The request body is not valid JSON.', {
              field: 'body',
            });
    } else if (isRedisUnavailable(error)) {
      appError = new AppError(
        'unavailable',
        'A backing service is unavailable; try again shortly.',
        {
          cause: error,
          extra: { retryAfterSeconds: 2 },
        },
      );
    } else {
      appError = new AppError('internal', 'Something went wrong on our side; it has been logged.');
    }
    const log = res.locals.logger ?? logger;
    if (appError.status >= 500)
      log.error('request failed', { error, path: req.path, method: req.method });
    else
      log.info('request rejected', {
        code: appError.code,
        status: appError.status,
        path: req.path,
      });
    const retryAfter =
      appError.extra?.retryAfterSeconds ?? (appError.code === 'unavailable' ? 2 : undefined);
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    res
      .status(appError.status)
      .type('application/problem+json')
      .send(JSON.stringify(toProblem(appError, req.originalUrl)));
  };
}

const REDIS_DOWN =
  /Stream isn't writeable|Connection is closed|max retries per request|Command timed out|ECONNREFUSED|ECONNRESET/i;

/** ioredis errors of a connection that is down (fail-fast producer connections raise these). */
function isRedisUnavailable(error: unknown): boolean {
  return error instanceof Error && REDIS_DOWN.test(error.message);
}

function isBodyParserError(error: unknown): error is { type: string; status: number } {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

import type { RequestHandler } from 'express';
import { newId } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assigns a request id (reusing a sane incoming `X-Request-Id`) and a child logger carrying it. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : newId('req');
    res.locals.requestId = requestId;
    res.locals.logger = logger.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    next();
  };
}

import type { RequestHandler } from 'express';
import { AppError } from '@shortlist/contracts';

/** Nesting depth of a parsed JSON value, stopping as soon as it passes `limit` (no recursion). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const inner of Object.values(item)) stack.push([inner, depth + 1]);
  }
  return false;
}

/**
 * Refuses JSON bodies nested deeper than `limit` levels with 400: no request of this API needs
 * more than a few, and deep values make later recursive code (validation, logging) blow its stack.
 */
export function jsonDepthLimit(limit: number): RequestHandler {
  return (req, _res, next) => {
    if (req.body !== null && typeof req.body === 'object' && jsonDepthExceeds(req.body, limit))
      throw new AppError(
        'validation_failed',
        `The JSON body is nested deeper than ${limit} levels.`,
        { field: 'body' },
      );
    next();
  };
}

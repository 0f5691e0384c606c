import type { Response } from 'express';
import type { Page } from '@shortlist/contracts';

/**
 * Sends JSON text the store already serialised (`getJson`, `listJson`) exactly as `res.json`
 * would send the parsed value: same body, type and ETag, without a parse and a stringify.
 */
export function sendJsonText(res: Response, text: string): void {
  res.type('application/json').send(text);
}

/** `JSON.stringify(page)` for a page whose items are JSON text already. */
export function pageJsonText(page: Page<string>): string {
  return `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}

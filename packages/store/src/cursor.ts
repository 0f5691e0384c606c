import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@shortlist/contracts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './types';

/** A value a list is sorted by. */
export type SortValue = string | number | null;

/** Position after the last item of a page: its sort values (in sort order) and its id. */
export interface CursorPosition {
  values: SortValue[];
  id: string;
}

/** Longest cursor we try to decode; real cursors are about 150 characters. */
const MAX_CURSOR_LENGTH = 2_000;

/**
 * Opaque, tamper-evident cursors: base64url(JSON) + HMAC-SHA256. The cursor is bound to the query
 * that produced it (tenant, list, filters, sort), so it cannot be replayed against another tenant
 * or another query, and a changed byte is detected before the content is trusted.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
  }

  /**
   * Stable fingerprint of a query. Pass the list name, the tenant and every filter and sort value
   * in a fixed order (objects are canonicalised, so key order and `undefined` members don't matter).
   */
  static fingerprint(parts: unknown[]): string {
    return createHash('sha256').update(canonicalJson(parts)).digest('base64url').slice(0, 16);
  }

  encode(position: CursorPosition, fingerprint: string): string {
    const body = Buffer.from(
      JSON.stringify({ v: position.values, i: position.id, f: fingerprint }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /**
   * Decodes a cursor for the query with `fingerprint` expecting `arity` sort values, or throws
   * `AppError('invalid_cursor')` (400) naming the `cursor` field.
   */
  decode(cursor: string, fingerprint: string, arity: number): CursorPosition {
    const invalid = (why: string) =>
      new AppError(
        'invalid_cursor',
        `The cursor is not valid for this list (${why}). Start again without a cursor.`,
        { field: 'cursor' },
      );
    if (cursor.length > MAX_CURSOR_LENGTH) throw invalid('too long');
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) throw invalid('malformed');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw invalid('signature mismatch');
    let parsed: { v?: unknown; i?: unknown; f?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw invalid('malformed');
    }
    if (parsed.f !== fingerprint) throw invalid('it belongs to another query');
    const values = parsed.v;
    if (
      typeof parsed.i !== 'string' ||
      !Array.isArray(values) ||
      values.length !== arity ||
      !values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    )
      throw invalid('malformed');
    return { values: values as SortValue[], id: parsed.i };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/** JSON with object keys sorted and `undefined` members dropped, so equal queries hash equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const member = (v as Record<string, unknown>)[k];
      if (member !== undefined) sorted[k] = member;
    }
    return sorted;
  });
}

/** Clamps a requested page size into 1..MAX_PAGE_SIZE; absent or not a number gives the default. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@shortlist/contracts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './types';

/** Position after the last item of a page: its sort value and id. */
export interface CursorPosition {
  sort: string | number | null;
  id: string;
}

/**
 * Opaque, tamper-evident cursors: base64url(JSON) + HMAC. The cursor is bound to the query that
 * produced it (tenant, filters, sort), so it cannot be replayed against another tenant or query.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
  }

  /** Stable fingerprint of a query; include the tenant and every filter and sort value. */
  static fingerprint(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
  }

  encode(position: CursorPosition, fingerprint: string): string {
    const body = Buffer.from(
      JSON.stringify({ s: position.sort, i: position.id, f: fingerprint }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** Decodes a cursor or throws `AppError('invalid_cursor')` naming the `cursor` field. */
  decode(cursor: string, fingerprint: string): CursorPosition {
    const invalid = (why: string) =>
      new AppError(
        'invalid_cursor',
        `The cursor is not valid for this list (${why}). Start again without a cursor.`,
        {
          field: 'cursor',
        },
      );
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) throw invalid('malformed');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw invalid('signature mismatch');
    let parsed: { s?: unknown; i?: unknown; f?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw invalid('malformed');
    }
    if (parsed.f !== fingerprint) throw invalid('it belongs to another query');
    if (typeof parsed.i !== 'string') throw invalid('malformed');
    const sort = parsed.s;
    if (sort !== null && typeof sort !== 'string' && typeof sort !== 'number')
      throw invalid('malformed');
    return { sort, id: parsed.i };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
  }
}

/** Clamps a requested page size into 1..MAX_PAGE_SIZE. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

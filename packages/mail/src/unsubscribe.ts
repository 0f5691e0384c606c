import { createHmac, timingSafeEqual } from 'node:crypto';

/** Whose list an unsubscribe link takes an address off. */
export interface UnsubscribeSubject {
  userId: string;
  address: string;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret)
    .update('unsubscribe\0')
    .update(payload)
    .digest()
    .subarray(0, 16);
}

/**
 * A token for a public unsubscribe link: the tenant and the (lower-cased) address, signed with
 * HMAC-SHA256, so a link works without signing in and cannot be forged for another address or
 * tenant. It never expires: a link in an old email must still work.
 */
export function unsubscribeToken(secret: string, subject: UnsubscribeSubject): string {
  const payload = Buffer.from(
    JSON.stringify([subject.userId, subject.address.toLowerCase()]),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The subject of a genuine token, or null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeSubject | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [userId, address] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof userId !== 'string' || typeof address !== 'string') return null;
    return { userId, address };
  } catch {
    return null;
  }
}

/** The plain-text footer every candidate email ends with (the HTML part turns the URL into a link). */
export function unsubscribeFooter(companyName: string, url: string): string {
  return `To stop receiving emails from ${companyName}, open ${url}`;
}

import { z } from 'zod';

const EmailAddress = z.email();

/** Characters that could end a header line or smuggle control codes into one. */
const UNSAFE_HEADER_CHARS = /[\r\n\0\u2028\u2029]/;

export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Validates one recipient address: a plain `local@domain` (no display name, no comments), at most
 * 254 characters, no line breaks. Returns it trimmed with the domain lower-cased.
 */
export function checkAddress(raw: string | null | undefined): AddressCheck {
  if (raw === null || raw === undefined || raw.trim() === '')
    return { ok: false, reason: 'no email address' };
  const value = raw.trim();
  if (UNSAFE_HEADER_CHARS.test(value))
    return { ok: false, reason: 'the email address contains a line break' };
  if (value.length > 254) return { ok: false, reason: 'the email address is too long' };
  if (!EmailAddress.safeParse(value).success)
    return { ok: false, reason: `"${value}" is not a valid email address` };
  const at = value.lastIndexOf('@');
  return { ok: true, address: `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}` };
}

/** True when `value` is safe inside a header line (subject, display name): no CR, LF or NUL. */
export function isHeaderSafe(value: string): boolean {
  return !UNSAFE_HEADER_CHARS.test(value);
}

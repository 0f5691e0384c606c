/** Keys whose values are never logged, whatever they hold (compared case-insensitively, without `_`/`-`). */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'password',
  'pass',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'privatekey',
  'email',
  'to',
  'phone',
  'text',
  'resumetext',
  'body',
  'html',
  'candidate',
]);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Phone-like runs: optional +country, then 9+ digits with common separators. Not inside a word:
// the random hex of our ids (`res_…_ff7729328997`) must survive, or audit lines lose their ids;
// except right after a phone label written as a word of its own (`Tel4155550142`, `Mobile+44…`).
const PHONE =
  /(?:(?<!\w)|(?<=\b(?:tel|phone|mobile|mob|cell|ph|fax|call|whatsapp)))(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){2,4}/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const KEY_LIKE = /\b(sk|sl|pk|rk)[-_][A-Za-z0-9_-]{12,}\b/g;

export const REDACTED = '[REDACTED]';

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));
}

/** Replaces emails, phone numbers, bearer tokens and API-key-looking strings inside free text. */
export function redactString(value: string): string {
  return value
    .replace(BEARER, '$1 [REDACTED]')
    .replace(KEY_LIKE, '[REDACTED-KEY]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 9 ? '[phone]' : match));
}

/**
 * Deep copy of `value` that is safe to log: secret-named keys become `[REDACTED]`, strings are
 * scrubbed of emails/phones/tokens. Errors keep their name, message and stack (scrubbed).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactString(value.message),
      ...(value.stack ? { stack: redactString(value.stack) } : {}),
      ...('code' in value ? { code: (value as { code: unknown }).code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

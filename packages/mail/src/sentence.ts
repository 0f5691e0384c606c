/** Longest personal sentence kept (characters). */
export const MAX_SENTENCE_CHARS = 240;

// Zero-width, soft hyphen, bidi embedding/override/isolate marks: invisible, and able to make a
// line read differently from what it contains.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// Every line or paragraph break a mail client might honour, plus tabs and other C0/C1 controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BREAKS_AND_CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

const REFUSED: [RegExp, string][] = [
  [/[<>]|\{\{|\}\}|\[[^\]]*\]\(/, 'markup'],
  [/\bhttps?:|\bwww\.|\bmailto:/i, 'a link'],
  [/[^\s@]+@[^\s@]+/, 'an email address'],
  [/(\d[\s().+-]*){9,}/, 'a phone number'],
];

/**
 * A sentence fit for `{{personalNote}}`, or null: Unicode NFKC, invisible and bidi marks removed,
 * every line break or control character turned into a space (so it can never break a header or
 * the layout), spaces collapsed, wrapping quotes dropped, a final full stop added. Refused (null)
 * when empty, longer than {@link MAX_SENTENCE_CHARS}, or when it carries markup, a link, an email
 * address or a phone number: none of those belong in a sentence about matched criteria, and a model
 * that writes them has not done what it was asked.
 */
export function cleanSentence(raw: string): string | null {
  let text = raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(BREAKS_AND_CONTROLS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .trim();
  if (text.length < 3) return null;
  if (!/[.!?]$/.test(text)) text += '.';
  if (text.length > MAX_SENTENCE_CHARS) return null;
  if (REFUSED.some(([pattern]) => pattern.test(text))) return null;
  return text;
}

import type { HiddenText } from './types';

// Written as alternatives, not a character class: a class of joiners reads as one joined sequence.
const ZERO_WIDTH = /\u200b|\u200c|\u200d|[\u2060-\u2064]|\ufeff|\u00ad/gu;
const ZERO_WIDTH_NO_SOFT_HYPHEN = /\u200b|\u200c|\u200d|[\u2060-\u2064]|\ufeff/gu;
// Unicode tag characters (U+E0000-E007F) spell invisible ASCII: "ASCII smuggling".
const TAGS = /[\u{e0000}-\u{e007f}]+/gu;

/**
 * Finds characters that render as nothing — zero-width spaces/joiners and Unicode tag
 * characters — reports them (tag runs decoded to the ASCII they spell) and returns the text
 * without them. Soft hyphens and zero-width joiners inside words are removed silently.
 */
export function stripInvisibleChars(text: string): { text: string; hidden: HiddenText[] } {
  const hidden: HiddenText[] = [];
  for (const match of text.matchAll(TAGS)) {
    const decoded = Array.from(match[0])
      .map((ch) => String.fromCharCode(ch.codePointAt(0)! - 0xe0000))
      .join('')
      .replace(/[^\x20-\x7e]/g, '')
      .trim();
    if (decoded)
      hidden.push({ snippet: decoded.slice(0, 300), why: 'zero-width-characters', page: null });
  }
  let cleaned = text.replace(TAGS, '');
  // Runs of several zero-width characters are used to smuggle data or split keywords; one
  // stray joiner (emoji, Indic scripts) or soft hyphen is ordinary.
  const runs = [
    ...cleaned.matchAll(
      new RegExp(`(?:\\S*(?:${ZERO_WIDTH_NO_SOFT_HYPHEN.source})){3,}\\S*`, 'gu'),
    ),
  ];
  const count = (cleaned.match(ZERO_WIDTH_NO_SOFT_HYPHEN) ?? []).length;
  if (count >= 3 && runs.length > 0) {
    const around = runs[0]![0].replace(ZERO_WIDTH, '').slice(0, 120);
    hidden.push({
      snippet: `${count} zero-width characters, e.g. in "${around}"`,
      why: 'zero-width-characters',
      page: null,
    });
  }
  cleaned = cleaned.replace(ZERO_WIDTH, '');
  return { text: cleaned, hidden };
}

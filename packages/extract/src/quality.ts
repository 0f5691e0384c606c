import type { Verdict } from './types';

/** Fewer letters than this and there is nothing to assess. */
const MIN_LETTERS = 20;

/**
 * Judges text that came out of a file: `empty` when there is almost nothing to read, `garbled`
 * when many characters are replacement/private-use/control characters (a font without a
 * Unicode map, a wrong encoding) or most lowercase words have no vowel, else `ok`.
 */
export function textQuality(text: string): Extract<Verdict, 'ok' | 'empty' | 'garbled'> {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const visible = text.replace(/\s+/g, '');
  let junk = 0;
  for (const ch of visible) {
    const code = ch.codePointAt(0)!;
    const control = code < 0x20 || (code >= 0x80 && code < 0xa0);
    if (control || (code >= 0xe000 && code <= 0xf8ff) || code === 0xfffd) junk++;
  }
  if (visible.length > 0 && junk / visible.length > 0.1) return 'garbled';
  if (letters < MIN_LETTERS) return 'empty';
  const words = text.match(/(?<![\p{L}\p{N}])[a-z\u00df-\u00ff]{3,}(?![\p{L}\p{N}])/gu) ?? [];
  if (words.length >= 20) {
    const vowelless = words.filter((w) => !/[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ]/.test(w)).length;
    if (vowelless / words.length > 0.5) return 'garbled';
  }
  return 'ok';
}

import { stemmer } from 'stemmer';
import { isStopword } from '../text';
import { ALIASES, GENERIC, PHRASES, TITLE_GENERIC } from './vocabulary';

const phraseKeys = Object.keys(PHRASES).sort((a, b) => b.length - a.length);
const PHRASE_RE = new RegExp(
  `(?<![a-z0-9])(${phraseKeys.map((k) => k.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&')).join('|')})(?![a-z0-9])`,
  'g',
);
const stems = new Map<string, string | null>();

/** Stem of one lower-case word after aliasing, or null for a stopword (memoised). */
function termOf(word: string): string | null {
  let cached = stems.get(word);
  if (cached !== undefined) return cached;
  const alias = ALIASES[word] ?? word;
  cached = isStopword(alias) || alias.length < 2 ? null : stemmer(alias);
  if (cached && isStopword(cached)) cached = null;
  if (stems.size < 200_000) stems.set(word, cached);
  return cached;
}

/**
 * Normalised terms of a text: lower case, known multi-word terms joined (human resources -> hr),
 * aliases merged (automobile -> automotive), Porter-stemmed, stopwords dropped.
 */
export function terms(text: string): string[] {
  const lower = text
    // "IT" in capitals is the field, not the pronoun.
    .replace(/\bIT\b/g, ' itech ')
    .toLowerCase()
    .replace(/[^\x20-\x7e\n]+/g, ' ')
    // A known multi-word term keeps its words and adds its joined form.
    .replace(PHRASE_RE, (m) => ` ${m} ${PHRASES[m]} `);
  const out: string[] = [];
  for (const word of lower.match(/[a-z0-9][a-z0-9+#&]*/g) ?? []) {
    const term = termOf(word);
    if (term) out.push(term);
  }
  return out;
}

const phraseTokens = new Map<string, string[]>();
/** The terms of the words a joined phrase term stands for (`hr` -> human, resourc), else null. */
export function phraseParts(term: string): string[] | null {
  if (phraseTokens.size === 0) {
    for (const [phrase, token] of Object.entries(PHRASES)) {
      const parts = phrase
        .split(/[^a-z0-9&]+/)
        .map(termOf)
        .filter((t): t is string => Boolean(t));
      phraseTokens.set(token, [...new Set([...(phraseTokens.get(token) ?? []), ...parts])]);
    }
  }
  return phraseTokens.get(term) ?? null;
}

/** How much a term says about fit: words every resume uses count for little. */
export function termWeight(term: string): number {
  return GENERIC.has(term) ? 0.25 : 1;
}

/** In a job title, words that say rank or kind of post rather than the trade. */
export function titleWeight(term: string): number {
  return TITLE_GENERIC.has(term) ? 0.3 : termWeight(term);
}

/** Term counts of a text. */
export class Bag {
  readonly counts = new Map<string, number>();
  readonly length: number;
  constructor(list: string[]) {
    for (const t of list) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    this.length = list.length;
  }
  tf(term: string): number {
    return this.counts.get(term) ?? 0;
  }
}

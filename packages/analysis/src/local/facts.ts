/** Facts read from resume text: headline, years of experience, highest degree. */

import { MONTHS } from '@shortlist/extract';

const DATE = String.raw`(?:(\d{1,2})\s*/\s*|((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6})\.?\s+)?((?:19|20)\d{2})`;
const RANGE = new RegExp(
  `${DATE}\\s*(?:to|-|–|—|until|through)\\s*(?:${DATE}|(present|current|now|today|date))`,
  'gi',
);

function month(numeric: string | undefined, name: string | undefined): number {
  if (numeric) return Math.min(12, Math.max(1, Number(numeric)));
  if (name)
    return MONTHS[name.slice(0, 4).toLowerCase()] ?? MONTHS[name.slice(0, 3).toLowerCase()] ?? 1;
  return 1;
}

/**
 * Years of professional experience from the date ranges in the text (overlaps merged), with
 * "present" read as the latest year the resume mentions, so the answer never depends on the day
 * it is computed. Falls back to the largest "N years of experience" claim; null when neither.
 */
export function yearsOfExperience(text: string): number | null {
  const years = [...text.matchAll(/\b(19[5-9]\d|20[0-4]\d)\b/g)].map((m) => Number(m[1]));
  const latest = years.length ? Math.max(...years) : null;
  const spans: [number, number][] = [];
  for (const m of text.matchAll(RANGE)) {
    const start = Number(m[3]) * 12 + month(m[1], m[2]) - 1;
    const end = m[7]
      ? (latest ?? Number(m[3])) * 12 + 11
      : Number(m[6]) * 12 + month(m[4], m[5]) - 1;
    if (end >= start && end - start < 50 * 12) spans.push([start, end]);
  }
  if (spans.length > 0) {
    spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [curStart, curEnd] = spans[0]!;
    for (const [s, e] of spans.slice(1)) {
      if (s <= curEnd + 1) curEnd = Math.max(curEnd, e);
      else {
        total += curEnd - curStart + 1;
        [curStart, curEnd] = [s, e];
      }
    }
    total += curEnd - curStart + 1;
    return Math.min(60, Math.round((total / 12) * 2) / 2);
  }
  const claims = [...text.matchAll(/(\d{1,2})\+?\s*(?:years?|yrs?)\b/gi)].map((m) => Number(m[1]));
  return claims.length ? Math.min(60, Math.max(...claims)) : null;
}

/** Degree levels: 0 none/high school, 1 associate, 2 bachelor, 3 master, 4 doctorate. */
const DEGREES: [number, RegExp][] = [
  [4, /\b(ph\.?\s?d|doctorate|doctor of|ed\.?d|j\.?d|m\.?d)\b/i],
  [3, /\b(master'?s?|mba|m\.b\.a|m\.s\.?|m\.a\.?|msc|m\.sc|mph|msn|m\.ed|llm)\b/i],
  [2, /\b(bachelor'?s?|b\.?s\.?c?|b\.a\.?|bsn|b\.?sc|b\.?eng|b\.?com|bba|undergraduate degree)\b/i],
  [1, /\b(associate'?s?( degree| of)|a\.?a\.?s|adn|diploma|certificate program)\b/i],
];

/** Highest degree level a text mentions (see {@link DEGREES}). */
export function degreeLevel(text: string): number {
  for (const [level, pattern] of DEGREES) if (pattern.test(text)) return level;
  return 0;
}

/** The first line that reads like a headline (the candidate's title in most resumes). */
export function headline(text: string): string {
  for (const line of text.split('\n').slice(0, 5)) {
    const clean = line.trim();
    if (clean.length >= 2 && clean.length <= 120 && !/@|\d{3}[\s.-]\d{3}/.test(clean)) return clean;
  }
  return '';
}

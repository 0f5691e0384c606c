/** Month numbers (1-12) by their three-letter (and `sept`) abbreviation. */
export const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const YEAR = String.raw`(?:19[5-9]\d|20\d{2})`;
const DATE = String.raw`(?:${MONTH},?\s*(?:'\d{2}|${YEAR})|(?:0?[1-9]|1[0-2])\s*[/.-]\s*${YEAR}|${YEAR})`;
const PRESENT = String.raw`(?:present|current(?:ly)?|now|today|ongoing|to\s+date|till\s+date|date)`;
const RANGE = new RegExp(
  String.raw`(?<![\w/.-])(${DATE})\s*(?:-|–|—|~|to|until|till|through|thru)\s*(${DATE}|${PRESENT})(?![\w/])`,
  'giu',
);

/** Months since year 0 of a date token; year-only dates count from January. */
function toMonth(token: string): number | null {
  const t = token.toLowerCase().trim();
  const named = /^([a-z]+)\.?,?\s*(?:'(\d{2})|(\d{4}))$/.exec(t);
  if (named) {
    const month = MONTHS[named[1]!.slice(0, named[1]!.startsWith('sept') ? 4 : 3)];
    const year = named[3] ? Number(named[3]) : 2000 + Number(named[2]);
    return month ? year * 12 + month - 1 : null;
  }
  const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  if (numeric) return Number(numeric[2]) * 12 + Number(numeric[1]) - 1;
  if (/^\d{4}$/.test(t)) return Number(t) * 12;
  return null;
}

/** Every date range in `text` as [startMonth, endMonth] (months since year 0). */
export function dateRanges(text: string, now = new Date()): [number, number][] {
  const today = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(RANGE)) {
    const start = toMonth(m[1]!);
    const end = new RegExp(`^${PRESENT}$`, 'i').test(m[2]!.trim()) ? today : toMonth(m[2]!);
    if (start === null || end === null || end < start || start > today) continue;
    ranges.push([start, Math.min(end, today)]);
  }
  return ranges;
}

/** Total years covered by the ranges, overlaps merged, to one decimal; null when there are none. */
export function mergedYears(ranges: [number, number][]): number | null {
  if (ranges.length === 0) return null;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = sorted[0]!;
  for (const [s, e] of sorted.slice(1)) {
    if (s <= end) end = Math.max(end, e);
    else {
      total += end - start;
      [start, end] = [s, e];
    }
  }
  total += end - start;
  return Math.round((total / 12) * 10) / 10;
}

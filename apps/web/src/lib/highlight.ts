/** One piece of the resume text: plain, or part of the evidence quote at `quote`. */
export interface Segment {
  text: string;
  quote: number | null;
}

/** A located quote: `[start, end)` offsets in the original text. */
export interface QuoteRange {
  quote: number;
  start: number;
  end: number;
}

/**
 * Finds where a quote occurs in the text, forgiving what extraction and models change: case,
 * runs of whitespace and line breaks, curly quotes and dashes, and trailing ellipses.
 */
export function findQuote(text: string, quote: string): { start: number; end: number } | null {
  const needle = normalise(quote.replace(/(\.\.\.|…)+\s*$/u, '').replace(/^\s*(\.\.\.|…)+/u, ''));
  if (needle.text.length < 3) return null;
  const hay = normalise(text);
  const at = hay.text.indexOf(needle.text);
  if (at < 0) return null;
  const last = at + needle.text.length - 1;
  return { start: hay.map[at]!, end: hay.map[last]! + 1 };
}

/** Lower-cases, folds typographic characters and collapses whitespace, remembering original offsets. */
function normalise(input: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (/\s/u.test(ch)) {
      pendingSpace = text.length > 0;
      continue;
    }
    if (pendingSpace) {
      text += ' ';
      map.push(i);
      pendingSpace = false;
    }
    text += fold(ch);
    map.push(i);
  }
  return { text, map };
}

function fold(ch: string): string {
  switch (ch) {
    case '‘':
    case '’':
    case '`':
      return "'";
    case '“':
    case '”':
      return '"';
    case '–':
    case '—':
      return '-';
    default:
      return ch.toLowerCase();
  }
}

/** Locates every quote; when two overlap, the earlier-listed quote keeps the overlapping part. */
export function locateQuotes(text: string, quotes: (string | null)[]): QuoteRange[] {
  const ranges: QuoteRange[] = [];
  quotes.forEach((quote, index) => {
    if (!quote) return;
    const found = findQuote(text, quote);
    if (found) ranges.push({ quote: index, ...found });
  });
  ranges.sort((a, b) => a.start - b.start || a.quote - b.quote);
  const merged: QuoteRange[] = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range.start < previous.end) {
      if (range.end > previous.end) merged.push({ ...range, start: previous.end });
      continue;
    }
    merged.push(range);
  }
  return merged;
}

/** Splits the text into plain and highlighted segments, for rendering as text nodes and <mark>s. */
export function segmentText(text: string, quotes: (string | null)[]): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const range of locateQuotes(text, quotes)) {
    if (range.start > cursor) segments.push({ text: text.slice(cursor, range.start), quote: null });
    segments.push({ text: text.slice(range.start, range.end), quote: range.quote });
    cursor = range.end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), quote: null });
  return segments;
}

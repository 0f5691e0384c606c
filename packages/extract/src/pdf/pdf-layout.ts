import type { Segment } from './pdf-ops';

interface Line {
  y: number;
  size: number;
  segments: Segment[];
}

/** Narrowest empty vertical channel that separates two columns, in points. */
const MIN_GUTTER = 8;
/** A run of lines is read column by column only when it is at least this many lines tall. */
const MIN_BAND_LINES = 3;

/** Groups segments into lines (top to bottom), each line's segments left to right. */
function toLines(segments: Segment[]): Line[] {
  const sorted = [...segments].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: Line[] = [];
  for (const seg of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - seg.y) <= Math.min(last.size, seg.size) * 0.5) {
      last.segments.push(seg);
      last.size = Math.max(last.size, seg.size);
    } else {
      lines.push({ y: seg.y, size: seg.size, segments: [seg] });
    }
  }
  for (const line of lines) line.segments.sort((a, b) => a.x0 - b.x0);
  return lines;
}

const lineText = (line: Line) => line.segments.map((s) => s.text).join(' ');

const crosses = (line: Line, from: number, to: number) =>
  line.segments.some((s) => s.x0 < to && s.x1 > from);

/** Runs of consecutive lines that no segment crosses between `from` and `to`. */
function bands(lines: Line[], from: number, to: number): { start: number; end: number }[] {
  const result: { start: number; end: number }[] = [];
  let start = -1;
  lines.forEach((line, i) => {
    if (crosses(line, from, to)) {
      if (start >= 0) result.push({ start, end: i });
      start = -1;
    } else if (start < 0) start = i;
  });
  if (start >= 0) result.push({ start, end: lines.length });
  return result.filter(({ start: s, end: e }) => {
    if (e - s < MIN_BAND_LINES) return false;
    const slice = lines.slice(s, e);
    const left = slice.filter((l) => l.segments.some((seg) => seg.x1 <= from)).length;
    const right = slice.filter((l) => l.segments.some((seg) => seg.x0 >= to)).length;
    return left >= 2 && right >= 2;
  });
}

/** The x of the empty channel that puts the most text into column bands, if any. */
function findGutter(lines: Line[]): number | null {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const line of lines)
    for (const s of line.segments) {
      minX = Math.min(minX, s.x0);
      maxX = Math.max(maxX, s.x1);
    }
  if (!(maxX - minX > 4 * MIN_GUTTER)) return null;
  let best: { x: number; score: number } | null = null;
  for (let x = minX + MIN_GUTTER; x < maxX - 2 * MIN_GUTTER; x += 2) {
    let score = 0;
    for (const band of bands(lines, x, x + MIN_GUTTER))
      for (let i = band.start; i < band.end; i++)
        for (const s of lines[i]!.segments) score += s.text.length;
    if (score > 0 && (!best || score > best.score)) best = { x, score };
  }
  return best ? best.x : null;
}

function order(lines: Line[], depth: number): Line[] {
  if (depth > 3 || lines.length < MIN_BAND_LINES) return lines;
  const gutter = findGutter(lines);
  if (gutter === null) return lines;
  const from = gutter;
  const to = gutter + MIN_GUTTER;
  const out: Line[] = [];
  let i = 0;
  for (const band of bands(lines, from, to)) {
    out.push(...lines.slice(i, band.start));
    const slice = lines.slice(band.start, band.end);
    const side = (keep: (s: Segment) => boolean) =>
      slice
        .map((l) => ({ ...l, segments: l.segments.filter(keep) }))
        .filter((l) => l.segments.length > 0);
    out.push(
      ...order(
        side((s) => s.x1 <= from),
        depth + 1,
      ),
    );
    out.push(
      ...order(
        side((s) => s.x0 >= to),
        depth + 1,
      ),
    );
    i = band.end;
  }
  out.push(...lines.slice(i));
  return out;
}

/**
 * Puts a page's visible segments in reading order: top to bottom, and where the page is split
 * into columns by an empty vertical channel (sidebar layouts, two-column resumes), each column
 * in turn. Full-width lines (a header above the columns) stay where they are.
 */
export function layoutPage(segments: Segment[]): string {
  return order(toLines(segments), 0).map(lineText).join('\n');
}

import Table from 'cli-table3';
import type { Colors } from './terminal';
import { criteriaBy, type RankedRow } from './ranked-row';

const TOP = 2;

/** Shortens to one line of `width` characters, so that a row stays a few lines tall. */
function shorten(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, Math.max(1, width - 1)).trimEnd()}…`;
}

/** The first criteria, one per line, cut to the column width; the rest as a count. */
function listTop(names: string[], width: number): string {
  const lines = names.slice(0, TOP).map((name) => shorten(name, width));
  if (names.length > TOP) lines.push(`+${names.length - TOP} more`);
  return lines.join('\n');
}

/** Control characters in resume-derived text would move the cursor or recolour the terminal. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/**
 * The ranked table: rank, score, tier, name, top matched and missing criteria, warnings. Fits
 * `width` columns by wrapping the text columns.
 */
export function renderTable(
  rows: RankedRow[],
  options: { colors: Colors; width?: number; limit?: number },
): string {
  const c = options.colors;
  const width = Math.max(80, options.width ?? 120);
  const fixed = 5 + 7 + 11; // #, score, tier
  const flexible = width - fixed - 7 * 3; // 7 columns' borders and padding
  const nameW = Math.max(14, Math.floor(flexible * 0.24));
  const critW = Math.max(14, Math.floor(flexible * 0.28));
  const warnW = Math.max(12, flexible - nameW - 2 * critW);
  const table = new Table({
    head: ['#', 'score', 'tier', 'name', 'matched', 'missing', 'warnings'].map((h) => c.bold(h)),
    colWidths: [5, 7, 11, nameW, critW, critW, warnW],
    colAligns: ['right', 'right', 'left', 'left', 'left', 'left', 'left'],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  const tierColor = { shortlist: c.green, maybe: c.yellow, reject: c.red } as const;
  const shown = options.limit ? rows.slice(0, options.limit) : rows;
  for (const row of shown) {
    const warnings = [...row.warnings, ...(row.error ? [row.error] : [])].map(clean);
    table.push([
      row.rank === null ? c.dim('–') : String(row.rank),
      row.score === null ? c.dim('–') : row.score.toFixed(1),
      row.tier
        ? tierColor[row.tier](row.tier)
        : c.dim(row.status === 'failed' ? 'unreadable' : row.status),
      // File paths are long single words: wrap them anywhere rather than cut them off.
      {
        content: row.name ? `${clean(row.name)}\n${c.dim(clean(row.file))}` : clean(row.file),
        wrapOnWordBoundary: false,
      },
      listTop(criteriaBy(row, 'yes').map(clean), critW - 2),
      listTop(criteriaBy(row, 'no').map(clean), critW - 2),
      warnings.length ? c.yellow(warnings.join('; ')) : '',
    ]);
  }
  return table.toString();
}

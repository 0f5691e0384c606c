import Table from 'cli-table3';
import type { Colors } from './terminal';
import { criteriaBy, type RankedRow } from './ranked-row';

const TOP = 3;

function listTop(names: string[]): string {
  if (names.length <= TOP) return names.join(', ');
  return `${names.slice(0, TOP).join(', ')} +${names.length - TOP}`;
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
  const nameW = Math.max(14, Math.floor(flexible * 0.26));
  const critW = Math.max(14, Math.floor(flexible * 0.24));
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
      clean(row.name ?? row.file),
      listTop(criteriaBy(row, 'yes').map(clean)),
      listTop(criteriaBy(row, 'no').map(clean)),
      warnings.length ? c.yellow(warnings.join('; ')) : '',
    ]);
  }
  return table.toString();
}

import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../exit-codes';
import { renderHtmlReport } from './html-report';
import { criteriaBy, type RankedReport } from './ranked-row';

export const EXPORT_FORMATS = ['csv', 'json', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format of `--out file`: `--format` when given, else the file's extension. */
export function exportFormatFor(file: string, format?: string): ExportFormat {
  const chosen = (format ?? extname(file).slice(1)).toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(chosen)) return chosen as ExportFormat;
  throw new UsageError(
    `Cannot tell the format of "${file}": use a .csv, .json or .html file name, or --format csv|json|html.`,
  );
}

/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or a tab / carriage return that
 * some spreadsheets strip first) is run as a formula when the CSV is opened. A leading apostrophe
 * makes it plain text. Resume-derived strings are attacker-controlled, so every text cell passes here.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(report: RankedReport): string {
  const header = [
    'rank',
    'score',
    'tier',
    'name',
    'email',
    'file',
    'status',
    'matched',
    'partial',
    'missing',
    'warnings',
    'summary',
    'error',
  ];
  const rows = report.rows.map((r) => [
    r.rank ?? '',
    r.score ?? '',
    r.tier ?? '',
    r.name ?? '',
    r.email ?? '',
    r.file,
    r.status,
    criteriaBy(r, 'yes').join('; '),
    criteriaBy(r, 'partial').join('; '),
    criteriaBy(r, 'no').join('; '),
    r.warnings.join('; '),
    r.summary ?? '',
    r.error ?? '',
  ]);
  return stringify([header, ...rows], {
    cast: { string: (value) => neutraliseFormula(value) },
  });
}

export function toJson(report: RankedReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes the report in `format` to `file`. */
export async function writeReport(
  report: RankedReport,
  file: string,
  format: ExportFormat,
): Promise<void> {
  const body =
    format === 'csv'
      ? toCsv(report)
      : format === 'json'
        ? toJson(report)
        : renderHtmlReport(report);
  await writeFile(file, body, 'utf8');
}

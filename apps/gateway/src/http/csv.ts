import type { Resume } from '@shortlist/contracts';

/** Spreadsheet apps run a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Makes a text cell inert in spreadsheets by prefixing a quote to formula-like text. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV cell (RFC 4180 quoting); text is neutralised, numbers are written as they are. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = [
  'rank',
  'resume_id',
  'file_name',
  'candidate_name',
  'candidate_email',
  'status',
  'score',
  'tier',
  'years_experience',
  'matched_criteria',
  'missing_criteria',
  'warnings',
  'uploaded_at',
];

/** The export row of one ranked resume. */
export function csvCells(rank: number, r: Resume): (string | number | null)[] {
  const criteria = r.analysis?.criteria ?? [];
  return [
    rank,
    r.id,
    r.fileName,
    r.candidate.name,
    r.candidate.email,
    r.status,
    r.score,
    r.tier,
    r.analysis?.yearsExperience ?? null,
    criteria
      .filter((c) => c.met !== 'no')
      .map((c) => c.name)
      .join('; '),
    criteria
      .filter((c) => c.met === 'no')
      .map((c) => c.name)
      .join('; '),
    r.warnings.map((w) => w.code).join('; '),
    r.uploadedAt,
  ];
}

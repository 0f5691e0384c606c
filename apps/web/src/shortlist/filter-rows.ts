import type { Resume } from '../api/types';

/**
 * Client-side filters over loaded rows: a skill search (criterion names and their evidence quotes,
 * case-insensitive, counting only criteria at least partly met; summaries are not searched because
 * they also name what is missing) and "has warnings".
 */
export function filterRows(
  rows: Resume[],
  { search, warningsOnly }: { search: string; warningsOnly: boolean },
): Resume[] {
  const term = search.trim().toLowerCase();
  return rows.filter((row) => {
    if (warningsOnly && row.warnings.length === 0) return false;
    if (!term) return true;
    const analysis = row.analysis;
    if (!analysis) return false;
    return analysis.criteria.some(
      (c) =>
        c.met !== 'no' &&
        (c.name.toLowerCase().includes(term) || (c.evidence ?? '').toLowerCase().includes(term)),
    );
  });
}

/** Criteria met, partly met and required-but-missing, for a compact row summary. */
export function criteriaSummary(row: Resume): {
  met: number;
  total: number;
  missingRequired: number;
} {
  const criteria = row.analysis?.criteria ?? [];
  return {
    met:
      criteria.filter((c) => c.met === 'yes').length +
      criteria.filter((c) => c.met === 'partial').length / 2,
    total: criteria.length,
    missingRequired: criteria.filter((c) => c.required && c.met === 'no').length,
  };
}

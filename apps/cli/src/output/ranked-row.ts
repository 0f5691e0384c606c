import type { Analysis, CriterionVerdict, Tier } from '@shortlist/contracts';

/** One line of a shortlist, local or remote, as every output format shows it. */
export interface RankedRow {
  /** 1-based position among scored resumes; null when the file could not be scored. */
  rank: number | null;
  /** Path relative to the folder given on the command line (or the uploaded file name). */
  file: string;
  name: string | null;
  email: string | null;
  status: 'done' | 'failed' | 'duplicate' | 'queued' | 'processing';
  score: number | null;
  tier: Tier | null;
  criteria: CriterionVerdict[];
  summary: string | null;
  warnings: string[];
  /** Why the file could not be scored, in words the recruiter can act on. */
  error: string | null;
  /** Server id of the resume (remote mode), for emails and follow-up commands. */
  resumeId?: string;
}

/** What a ranking run produced, ready for the table and the export formats. */
export interface RankedReport {
  job: {
    title: string;
    description: string;
    criteria: { name: string; weight: number; required: boolean }[];
  };
  model: string;
  generatedAt: string;
  rows: RankedRow[];
}

/** Criterion names by met verdict, heaviest first. */
export function criteriaBy(row: RankedRow, met: CriterionVerdict['met']): string[] {
  return row.criteria
    .filter((c) => c.met === met)
    .sort((a, b) => b.weight - a.weight || Number(b.required) - Number(a.required))
    .map((c) => c.name);
}

/**
 * Best score first; ties by file name so a run is reproducible. Unscored files follow, ranked null,
 * in file-name order.
 */
export function rankRows(rows: RankedRow[]): RankedRow[] {
  const scored = rows
    .filter((r) => r.score !== null)
    .sort((a, b) => b.score! - a.score! || a.file.localeCompare(b.file));
  const unscored = rows
    .filter((r) => r.score === null)
    .sort((a, b) => a.file.localeCompare(b.file));
  return [
    ...scored.map((r, i) => ({ ...r, rank: i + 1 })),
    ...unscored.map((r) => ({ ...r, rank: null })),
  ];
}

/** Builds a row from an analysis (shared by the local pipeline and remote results). */
export function rowFromAnalysis(
  base: Pick<RankedRow, 'file' | 'name' | 'email'> & { resumeId?: string; warnings?: string[] },
  analysis: Analysis,
): RankedRow {
  return {
    rank: null,
    file: base.file,
    name: base.name,
    email: base.email,
    status: 'done',
    score: analysis.score,
    tier: analysis.tier,
    criteria: analysis.criteria,
    summary: analysis.summary,
    warnings: [...(base.warnings ?? []), ...analysis.warnings.map((w) => w.message)],
    error: null,
    ...(base.resumeId ? { resumeId: base.resumeId } : {}),
  };
}

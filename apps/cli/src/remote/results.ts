import type { Job, Page, Resume } from '@shortlist/contracts';
import { rankRows, rowFromAnalysis, type RankedReport, type RankedRow } from '../output/ranked-row';
import type { ApiClient } from './api-client';
import type { UploadedFile } from './upload';

/** A server resume as a shortlist row. */
export function rowFromResume(resume: Resume): RankedRow {
  const base = {
    file: resume.fileName,
    name: resume.candidate.name,
    email: resume.candidate.email,
    resumeId: resume.id,
  };
  if (resume.analysis && resume.status === 'done') {
    const row = rowFromAnalysis(base, resume.analysis);
    // The resume's warnings already include the analysis warnings once stored.
    return { ...row, warnings: [...new Set(resume.warnings.map((w) => w.message))] };
  }
  return {
    rank: null,
    ...base,
    status: resume.status,
    score: null,
    tier: null,
    criteria: [],
    summary: null,
    warnings: resume.warnings.map((w) => w.message),
    error:
      resume.error ??
      (resume.status === 'duplicate'
        ? `Same file as ${resume.duplicateOf ?? 'an earlier upload'}; scored once.`
        : null),
  };
}

/** Files the server refused at upload (unreadable type), as unscored rows with the reason. */
export function rowsFromRejected(files: UploadedFile[]): RankedRow[] {
  return files
    .filter((f) => f.status === 'rejected')
    .map((f) => ({
      rank: null,
      file: f.fileName,
      name: null,
      email: null,
      status: 'failed' as const,
      score: null,
      tier: null,
      criteria: [],
      summary: null,
      warnings: [],
      error: f.reason ?? 'Rejected by the server.',
    }));
}

/** Every resume of a job (optionally of some batches), best first, following cursor pages. */
export async function fetchResumes(
  client: ApiClient,
  jobId: string,
  filter: { batchIds?: string[]; tier?: string; max?: number } = {},
): Promise<Resume[]> {
  const out: Resume[] = [];
  const batches = filter.batchIds?.length ? filter.batchIds : [undefined];
  for (const batchId of batches) {
    let cursor: string | undefined;
    do {
      const page = await client.get<Page<Resume>>(`/v1/jobs/${encodeURIComponent(jobId)}/resumes`, {
        sort: 'score',
        limit: 200,
        cursor,
        batchId,
        tier: filter.tier,
      });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && (filter.max === undefined || out.length < filter.max));
  }
  return out;
}

/** The report of a server job, ready for the table and exports. */
export async function fetchReport(
  client: ApiClient,
  jobId: string,
  options: { batchIds?: string[]; tier?: string; max?: number; rejected?: UploadedFile[] } = {},
): Promise<RankedReport> {
  const job = await client.get<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`);
  const resumes = await fetchResumes(client, jobId, options);
  const rows = rankRows([
    ...resumes.map(rowFromResume),
    ...rowsFromRejected(options.rejected ?? []),
  ]);
  const models = [...new Set(resumes.map((r) => r.analysis?.model).filter(Boolean))];
  return {
    job: { title: job.title, description: job.description, criteria: job.criteria },
    model: models.join(', ') || 'server',
    generatedAt: new Date().toISOString(),
    rows: options.max ? rows.slice(0, options.max) : rows,
  };
}

import type { Job, Page } from '@shortlist/contracts';
import { loadJob, parseCriteria } from '../job-file';
import { colorsFor } from '../output/terminal';
import type { GlobalOptions } from './options';
import { requireClient } from './shared';

export interface CreateJobOptions {
  job: string;
  title?: string;
  criterion?: string[];
  json?: boolean;
}

const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function createJob(options: CreateJobOptions, globals: GlobalOptions): Promise<void> {
  const client = requireClient(globals, 'jobs create');
  const body = await loadJob(options.job, {
    title: options.title,
    criteria: parseCriteria(options.criterion ?? []),
  });
  const job = await client.post<Job>('/v1/jobs', body);
  if (options.json) printJson(job);
  else process.stdout.write(`${job.id}\n`);
}

export async function listJobs(options: { json?: boolean }, globals: GlobalOptions): Promise<void> {
  const client = requireClient(globals, 'jobs list');
  const items: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<Page<Job>>('/v1/jobs', { limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (options.json) return void printJson(items);
  const c = colorsFor(process.stdout, globals);
  for (const job of items) {
    const meta = `v${job.version} · ${job.criteria.length} criteria · ${job.createdAt}`;
    process.stdout.write(`${job.id}  ${c.bold(job.title)}  ${c.dim(meta)}\n`);
  }
}

export async function showJob(jobId: string, globals: GlobalOptions): Promise<void> {
  const client = requireClient(globals, 'jobs show');
  printJson(await client.get<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`));
}

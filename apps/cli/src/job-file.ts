import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CreateJobBody, type Criterion } from '@shortlist/contracts';
import { UsageError } from './exit-codes';

/**
 * `--criterion "TypeScript:2!"`: a name, an optional `:weight` (0-10) and a trailing `!` for
 * required. Commas separate several in one flag.
 */
export function parseCriterion(spec: string): Criterion {
  const match = /^\s*(.+?)\s*(?::\s*(\d+(?:\.\d+)?))?\s*(!)?\s*$/.exec(spec);
  if (!match || !match[1])
    throw new UsageError(`Cannot read criterion "${spec}": use name[:weight][!].`);
  const weight = match[2] === undefined ? 1 : Number(match[2]);
  if (weight > 10) throw new UsageError(`Criterion "${match[1]}": weight must be 0-10.`);
  return { name: match[1], weight, required: match[3] === '!' };
}

export function parseCriteria(specs: string[]): Criterion[] {
  return specs
    .flatMap((s) => s.split(','))
    .filter((s) => s.trim())
    .map(parseCriterion);
}

/**
 * Reads a job: a `.json` file with the `POST /v1/jobs` body, or any text file whose first line is
 * the title (unless `--title` is given) and whole text is the description, as a recruiter writes it.
 */
export async function loadJob(
  file: string,
  overrides: { title?: string; criteria?: Criterion[] } = {},
): Promise<CreateJobBody> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the job file "${file}".`);
  }
  let candidate: Record<string, unknown>;
  if (extname(file).toLowerCase() === '.json') {
    try {
      candidate = JSON.parse(raw) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`The job file "${file}" is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const firstLine = raw.split(/\r?\n/).find((l) => l.trim()) ?? '';
    candidate = {
      title: firstLine
        .replace(/^#+\s*/, '')
        .replace(/^(job\s*title|title|role)\s*:\s*/i, '')
        .slice(0, 200),
      description: raw,
    };
  }
  if (overrides.title) candidate.title = overrides.title;
  if (overrides.criteria?.length) candidate.criteria = overrides.criteria;
  const parsed = CreateJobBody.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `The job file "${file}" is not usable: ${issue.path.join('.') || 'job'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

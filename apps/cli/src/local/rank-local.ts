import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { Scorer } from '@shortlist/analysis';
import type { Job } from '@shortlist/contracts';
import { rankRows, rowFromAnalysis, type RankedRow } from '../output/ranked-row';
import type { InputFile } from './collect-files';
import type { ResumeReader } from './read-resume';

export interface RankLocalOptions {
  files: InputFile[];
  job: Pick<Job, 'description' | 'criteria' | 'thresholds'>;
  reader: ResumeReader;
  scorer: Scorer;
  /** Files read and scored at once. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

function failedRow(
  file: InputFile,
  error: string,
  status: RankedRow['status'] = 'failed',
): RankedRow {
  return {
    rank: null,
    file: file.label,
    name: null,
    email: null,
    status,
    score: null,
    tier: null,
    criteria: [],
    summary: null,
    warnings: [],
    error,
  };
}

/**
 * The embedded pipeline, in this process: read every file in parallel, extract, score, rank. A
 * file that cannot be read or scored becomes a row with the reason; it never stops the run.
 * Identical files are scored once: the first in name order is ranked, the copies are listed as
 * duplicates.
 */
export async function rankLocal(options: RankLocalOptions): Promise<RankedRow[]> {
  const { files } = options;
  const limit = pLimit(Math.max(1, options.concurrency));
  /** Lowest file index seen per content hash: that file is the original, later ones copies. */
  const firstBySha = new Map<string, number>();
  const shaOf: (string | undefined)[] = [];
  let done = 0;
  const duplicateRow = (index: number, original: number) =>
    failedRow(files[index]!, `Same file as ${files[original]!.label}; scored once.`, 'duplicate');

  const rankOne = async (file: InputFile, index: number): Promise<RankedRow> => {
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return failedRow(file, `Cannot open the file: ${code}.`);
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    shaOf[index] = sha;
    const original = firstBySha.get(sha);
    if (original !== undefined && original < index) return duplicateRow(index, original);
    firstBySha.set(sha, index);

    let read: Awaited<ReturnType<ResumeReader['read']>>;
    try {
      read = await options.reader.read(bytes);
    } catch (error) {
      return failedRow(file, `Could not read the file: ${(error as Error).message}`);
    }
    if (!read.ok) return failedRow(file, read.reason);
    try {
      const analysis = await options.scorer.analyse({
        text: read.text,
        job: options.job,
        hiddenText: read.hiddenText,
        profile: read.profile,
      });
      const base = {
        file: file.label,
        name: read.name,
        email: read.email,
      };
      return rowFromAnalysis(base, analysis);
    } catch (error) {
      return failedRow(file, `Scoring failed: ${(error as Error).message}`);
    }
  };

  const rows = await Promise.all(
    files.map((file, index) =>
      limit(async () => {
        const row = await rankOne(file, index);
        options.onProgress?.(++done, files.length);
        return row;
      }),
    ),
  );
  // A copy read before its original was scored as well; only the first in name order counts.
  const deduplicated = rows.map((row, index) => {
    const sha = shaOf[index];
    const original = sha === undefined ? undefined : firstBySha.get(sha);
    return original !== undefined && original < index && row.status !== 'duplicate'
      ? duplicateRow(index, original)
      : row;
  });
  return rankRows(deduplicated);
}

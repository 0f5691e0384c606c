import type { Batch } from '@shortlist/contracts';
import { CliError, ExitCode } from '../exit-codes';
import { collectFiles } from '../local/collect-files';
import { say } from '../output/terminal';
import { followWithProgress, uploadWithProgress } from '../remote/upload-and-follow';
import type { GlobalOptions } from './options';
import { requireClient } from './shared';

export interface UploadOptions {
  batchSize: number;
  follow: boolean;
  progress: boolean;
}

function countsLine(batch: Batch): string {
  const c = batch.counts;
  const pending = c.queued + c.processing;
  return (
    `${batch.id}: ${c.done} done, ${c.failed} failed, ${c.duplicate} duplicate, ` +
    `${pending} pending of ${c.total}${batch.finishedAt ? ' (finished)' : ''}`
  );
}

export async function upload(
  jobId: string,
  paths: string[],
  options: UploadOptions & GlobalOptions,
): Promise<void> {
  const client = requireClient(options, 'upload');
  const files = await collectFiles(paths);
  if (files.length === 0)
    throw new CliError(`No files found in ${paths.join(', ')}.`, ExitCode.nothingRanked);
  const results = await uploadWithProgress(client, jobId, files, options);
  for (const file of results.flatMap((r) => r.files))
    if (file.status === 'rejected') say(`  rejected ${file.fileName}: ${file.reason ?? ''}`);
  for (const r of results) process.stdout.write(`${r.batch.id}\n`);
  if (!options.follow) return;
  const batchIds = results.map((r) => r.batch.id);
  const batches = await followWithProgress(client, batchIds, options);
  for (const batch of batches) say(countsLine(batch));
}

export async function follow(
  batchIds: string[],
  options: { progress: boolean; json?: boolean } & GlobalOptions,
): Promise<void> {
  const client = requireClient(options, 'follow');
  const batches = await followWithProgress(client, batchIds, options);
  if (options.json) process.stdout.write(`${JSON.stringify(batches, null, 2)}\n`);
  else for (const batch of batches) process.stdout.write(`${countsLine(batch)}\n`);
}

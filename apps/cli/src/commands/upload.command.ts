import { Command } from 'commander';
import type { Batch } from '@shortlist/contracts';
import { CliError, ExitCode } from '../exit-codes';
import { collectFiles } from '../local/collect-files';
import { say } from '../output/terminal';
import { followWithProgress, uploadWithProgress } from '../remote/upload-and-follow';
import { positiveInt, requireClient, type GlobalOptions } from './shared';

const countsLine = (batch: Batch) => {
  const c = batch.counts;
  return `${batch.id}: ${c.done} done, ${c.failed} failed, ${c.duplicate} duplicate, ${c.queued + c.processing} pending of ${c.total}${batch.finishedAt ? ' (finished)' : ''}`;
};

export function uploadCommand(): Command {
  return new Command('upload')
    .summary('upload resumes to a job on a server as a batch, and follow the analysis')
    .description(
      'Upload files and folders to a job as one batch (several for big folders) with upload progress, ' +
        'then follow the analysis live until it finishes (unless --no-follow). Prints the batch ids on stdout.',
    )
    .argument('<jobId>', 'the job to add resumes to')
    .argument('<paths...>', 'resume files or folders (read recursively)')
    .option('--batch-size <n>', 'files per upload request', positiveInt('--batch-size'), 500)
    .option('--no-follow', 'return as soon as the upload is accepted')
    .option('--no-progress', 'no progress bars')
    .action(
      async (
        jobId: string,
        paths: string[],
        options: { batchSize: number; follow: boolean; progress: boolean },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const client = requireClient(globals, 'upload');
        const files = await collectFiles(paths);
        if (files.length === 0)
          throw new CliError(`No files found in ${paths.join(', ')}.`, ExitCode.nothingRanked);
        const results = await uploadWithProgress(client, jobId, files, { ...globals, ...options });
        for (const file of results.flatMap((r) => r.files))
          if (file.status === 'rejected') say(`  rejected ${file.fileName}: ${file.reason ?? ''}`);
        for (const r of results) process.stdout.write(`${r.batch.id}\n`);
        if (!options.follow) return;
        const batches = await followWithProgress(
          client,
          results.map((r) => r.batch.id),
          { ...globals, ...options },
        );
        for (const batch of batches) say(countsLine(batch));
      },
    );
}

export function followCommand(): Command {
  return new Command('follow')
    .summary('follow batches live until their analysis finishes')
    .description(
      'Follow batches live (Server-Sent Events) until every one is finished; prints their counts.',
    )
    .argument('<batchIds...>')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the finished batches as JSON on stdout')
    .action(
      async (
        batchIds: string[],
        options: { progress: boolean; json?: boolean },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const client = requireClient(globals, 'follow');
        const batches = await followWithProgress(client, batchIds, { ...globals, ...options });
        if (options.json) process.stdout.write(`${JSON.stringify(batches, null, 2)}\n`);
        else for (const batch of batches) process.stdout.write(`${countsLine(batch)}\n`);
      },
    );
}

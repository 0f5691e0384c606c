import { Command } from 'commander';
import { jsonOption, positiveInt, type GlobalOptions } from './options';
import type { UploadOptions } from './upload.action';

export function uploadCommand(): Command {
  return new Command('upload')
    .summary('upload resumes to a job on a server as a batch, and follow the analysis')
    .description(
      'Upload files and folders to a job as one batch (several for big folders) with upload ' +
        'progress, then follow the analysis live until it finishes (unless --no-follow). Prints ' +
        'the batch ids on stdout.',
    )
    .argument('<jobId>', 'the job to add resumes to')
    .argument('<paths...>', 'resume files or folders (read recursively)')
    .option('--batch-size <n>', 'files per upload request', positiveInt('--batch-size'), 500)
    .option('--no-follow', 'return as soon as the upload is accepted')
    .option('--no-progress', 'no progress bars')
    .action(async (jobId: string, paths: string[], options: UploadOptions, command: Command) =>
      (await import('./upload.action')).upload(jobId, paths, {
        ...command.optsWithGlobals<GlobalOptions>(),
        ...options,
      }),
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
    .addOption(jsonOption('the finished batches'))
    .action(
      async (
        batchIds: string[],
        options: { progress: boolean; json?: boolean },
        command: Command,
      ) =>
        (await import('./upload.action')).follow(batchIds, {
          ...command.optsWithGlobals<GlobalOptions>(),
          ...options,
        }),
    );
}

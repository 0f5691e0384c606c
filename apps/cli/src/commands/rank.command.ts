import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { DEFAULT_THRESHOLDS, type CreateJobBody, type Job } from '@shortlist/contracts';
import { CliError, ExitCode } from '../exit-codes';
import { loadJob, parseCriteria } from '../job-file';
import { collectFiles, type InputFile } from '../local/collect-files';
import { rankLocal } from '../local/rank-local';
import { createResumeReader } from '../local/read-resume';
import { chooseScorer } from '../local/scorer';
import { createProgress } from '../output/progress';
import type { RankedReport } from '../output/ranked-row';
import { colorsFor, say } from '../output/terminal';
import type { ApiClient } from '../remote/api-client';
import { fetchReport } from '../remote/results';
import { followWithProgress, uploadWithProgress } from '../remote/upload-and-follow';
import {
  checkOuts,
  collect,
  formatOption,
  outOption,
  positiveInt,
  printReport,
  remoteClient,
  summaryLine,
  type GlobalOptions,
  type PrintOptions,
} from './shared';

interface RankOptions extends PrintOptions {
  job: string;
  title?: string;
  criterion?: string[];
  concurrency: number;
  progress: boolean;
  batchSize: number;
}

export function rankCommand(): Command {
  return new Command('rank')
    .summary('rank a folder of resumes against a job (offline, or on a server with --server)')
    .description(
      'Rank a folder of resumes against a job. Runs in this process (no server, no Redis) unless ' +
        '--server is given: then the job is created on the server, the files are uploaded as a ' +
        'batch and the ranking is followed live.',
    )
    .argument('<paths...>', 'resume files or folders (read recursively): PDF, DOCX, TXT')
    .requiredOption('-j, --job <file>', 'the job: a text file (first line = title) or a .json job')
    .option('--title <title>', 'job title (default: the first line of the job file)')
    .addOption(
      new Option(
        '-c, --criterion <spec>',
        'a criterion as name[:weight][!] (! = required); repeatable or comma-separated ' +
          '(default: derived from the job description)',
      ).argParser(collect),
    )
    .addOption(outOption())
    .addOption(formatOption())
    .option('--json', 'print the full results as JSON on stdout instead of the table')
    .option('-n, --top <n>', 'rows in the table (0 = all)', positiveInt('--top', true), 25)
    .option(
      '--concurrency <n>',
      'files read and scored at once (local mode)',
      positiveInt('--concurrency'),
      Math.max(2, availableParallelism()),
    )
    .option(
      '--batch-size <n>',
      'files per upload request (remote mode)',
      positiveInt('--batch-size'),
      500,
    )
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  shortlist rank --job job.txt ./resumes/
  shortlist rank --job job.txt ./resumes/ --out shortlist.html --out shortlist.csv
  shortlist rank --job job.txt -c "TypeScript:3!" -c PostgreSQL,Redis ./resumes/
  shortlist rank --job job.txt ./resumes/ --server http://127.0.0.1:8080 --api-key sl_...`,
    )
    .action(async (paths: string[], options: RankOptions, command: Command) => {
      const all = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      checkOuts(all.out, all.format);
      const jobBody = await loadJob(all.job, {
        title: all.title,
        criteria: parseCriteria(all.criterion ?? []),
      });
      const files = await collectFiles(paths);
      if (files.length === 0)
        throw new CliError(`No files found in ${paths.join(', ')}.`, ExitCode.nothingRanked);
      const started = performance.now();
      const client = remoteClient(all);
      const report = client
        ? await rankRemote(client, jobBody, files, all)
        : await rankHere(jobBody, files, all);
      await printReport(report, all);
      say(summaryLine(report, (performance.now() - started) / 1000));
      if (!report.rows.some((r) => r.score !== null))
        throw new CliError(
          'No file could be ranked: none was a readable resume.',
          ExitCode.nothingRanked,
        );
    });
}

async function rankHere(
  body: CreateJobBody,
  files: InputFile[],
  options: RankOptions & GlobalOptions,
): Promise<RankedReport> {
  const scorer = chooseScorer();
  const job: Pick<Job, 'description' | 'criteria' | 'thresholds'> = {
    description: body.description,
    criteria: body.criteria ?? [],
    thresholds: body.thresholds ?? DEFAULT_THRESHOLDS,
  };
  const progress = createProgress({
    stream: process.stderr,
    colors: colorsFor(process.stderr, options),
    enabled: options.progress,
  });
  const reader = createResumeReader();
  progress.start(files.length, 'Ranking');
  try {
    const rows = await rankLocal({
      files,
      job,
      reader,
      scorer,
      concurrency: options.concurrency,
      onProgress: (done) => progress.update(done),
    });
    const criteria = rows.find((r) => r.criteria.length > 0)?.criteria ?? job.criteria;
    return {
      job: {
        title: body.title,
        description: body.description,
        criteria: criteria.map(({ name, weight, required }) => ({ name, weight, required })),
      },
      model: scorer.model,
      generatedAt: new Date().toISOString(),
      rows,
    };
  } finally {
    progress.stop();
    await reader.close();
  }
}

async function rankRemote(
  client: ApiClient,
  body: CreateJobBody,
  files: InputFile[],
  options: RankOptions & GlobalOptions,
): Promise<RankedReport> {
  const job = await client.post<Job>('/v1/jobs', body);
  say(`Created job ${job.id} on ${client.baseUrl}`);
  const uploaded = await uploadWithProgress(client, job.id, files, options);
  await followWithProgress(
    client,
    uploaded.map((u) => u.batch.id),
    options,
  );
  return fetchReport(client, job.id, {
    batchIds: uploaded.map((u) => u.batch.id),
    rejected: uploaded.flatMap((u) => u.files),
  });
}

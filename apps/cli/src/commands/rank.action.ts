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
import type { GlobalOptions } from './options';
import { checkOuts, printReport, remoteClient, summaryLine } from './shared';

export interface RankOptions {
  job: string;
  title?: string;
  criterion?: string[];
  out?: string[];
  format?: string;
  json?: boolean;
  top: number;
  concurrency: number;
  progress: boolean;
  batchSize: number;
  scorer?: 'local' | 'openai';
  model?: string;
  llmUrl?: string;
}

type Options = RankOptions & GlobalOptions;

export async function rank(paths: string[], options: Options): Promise<void> {
  checkOuts(options.out, options.format);
  const body = await loadJob(options.job, {
    title: options.title,
    criteria: parseCriteria(options.criterion ?? []),
  });
  const files = await collectFiles(paths);
  if (files.length === 0)
    throw new CliError(`No files found in ${paths.join(', ')}.`, ExitCode.nothingRanked);
  const started = performance.now();
  const client = remoteClient(options);
  const report = client
    ? await rankRemote(client, body, files, options)
    : await rankHere(body, files, options);
  await printReport(report, options);
  say(summaryLine(report, (performance.now() - started) / 1000));
  if (!report.rows.some((r) => r.score !== null))
    throw new CliError(
      'No file could be ranked: none was a readable resume.',
      ExitCode.nothingRanked,
    );
}

async function rankHere(
  body: CreateJobBody,
  files: InputFile[],
  options: Options,
): Promise<RankedReport> {
  const scorer = chooseScorer({
    scorer: options.scorer,
    model: options.model,
    llmUrl: options.llmUrl,
  });
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
  const reader = createResumeReader({ threads: Math.max(1, options.concurrency) });
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
  options: Options,
): Promise<RankedReport> {
  const job = await client.post<Job>('/v1/jobs', body);
  say(`Created job ${job.id} on ${client.baseUrl}`);
  const uploaded = await uploadWithProgress(client, job.id, files, options);
  const batchIds = uploaded.map((u) => u.batch.id);
  await followWithProgress(client, batchIds, options);
  return fetchReport(client, job.id, {
    batchIds,
    rejected: uploaded.flatMap((u) => u.files),
  });
}

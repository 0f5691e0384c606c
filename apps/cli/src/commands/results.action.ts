import { say } from '../output/terminal';
import { fetchReport } from '../remote/results';
import type { GlobalOptions } from './options';
import { checkOuts, printReport, requireClient, summaryLine } from './shared';

export interface ResultsOptions {
  tier?: string;
  batch?: string[];
  top: number;
  out?: string[];
  format?: string;
  json?: boolean;
}

export async function results(
  jobId: string,
  options: ResultsOptions & GlobalOptions,
): Promise<void> {
  checkOuts(options.out, options.format);
  const client = requireClient(options, 'results');
  const report = await fetchReport(client, jobId, {
    tier: options.tier,
    batchIds: options.batch,
  });
  await printReport(report, options);
  say(summaryLine(report));
}

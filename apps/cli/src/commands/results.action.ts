import { say } from '../output/terminal';
import { fetchReport } from '../remote/results';
import type { GlobalOptions } from './options';
import type { ResultsOptions } from './results.command';
import { checkOuts, printReport, requireClient, summaryLine } from './shared';

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

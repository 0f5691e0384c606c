import { Command, Option } from 'commander';
import { fetchReport } from '../remote/results';
import {
  checkOuts,
  collect,
  formatOption,
  outOption,
  positiveInt,
  printReport,
  requireClient,
  summaryLine,
  type GlobalOptions,
  type PrintOptions,
} from './shared';
import { say } from '../output/terminal';

export function resultsCommand(): Command {
  return new Command('results')
    .summary("print or export a job's ranked shortlist from a server")
    .description(
      "Print a job's ranked shortlist from a server (the table, or JSON with --json) and export it " +
        'with --out results.csv|json|html.',
    )
    .argument('<jobId>')
    .addOption(
      new Option('--tier <tier>', 'only this tier').choices(['shortlist', 'maybe', 'reject']),
    )
    .addOption(
      new Option('--batch <batchId>', 'only resumes of this batch (repeatable)').argParser(collect),
    )
    .option('-n, --top <n>', 'rows in the table (0 = all)', positiveInt('--top', true), 25)
    .addOption(outOption())
    .addOption(formatOption())
    .option('--json', 'print the full results as JSON on stdout instead of the table')
    .action(
      async (
        jobId: string,
        options: PrintOptions & { tier?: string; batch?: string[] },
        command: Command,
      ) => {
        const all = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
        checkOuts(all.out, all.format);
        const client = requireClient(all, 'results');
        const report = await fetchReport(client, jobId, {
          tier: options.tier,
          batchIds: options.batch,
        });
        await printReport(report, all);
        say(summaryLine(report));
      },
    );
}

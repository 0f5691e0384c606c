import { Command, Option } from 'commander';
import {
  collect,
  formatOption,
  jsonOption,
  outOption,
  positiveInt,
  type GlobalOptions,
} from './options';
import type { ResultsOptions } from './results.action';

export function resultsCommand(): Command {
  return new Command('results')
    .summary("print or export a job's ranked shortlist from a server")
    .description(
      "Print a job's ranked shortlist from a server (the table, or JSON with --json) and export " +
        'it with --out results.csv|json|html.',
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
    .addOption(jsonOption())
    .action(async (jobId: string, options: ResultsOptions, command: Command) =>
      (await import('./results.action')).results(jobId, {
        ...command.optsWithGlobals<GlobalOptions>(),
        ...options,
      }),
    );
}

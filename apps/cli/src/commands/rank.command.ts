import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import {
  criterionOption,
  formatOption,
  httpUrl,
  jsonOption,
  outOption,
  positiveInt,
  type GlobalOptions,
} from './options';
import type { RankOptions } from './rank.action';

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
    .addOption(criterionOption())
    .addOption(outOption())
    .addOption(formatOption())
    .addOption(jsonOption())
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
    .addOption(
      new Option(
        '--scorer <scorer>',
        'local: built-in, offline (default); openai: an OpenAI-compatible model',
      ).choices(['local', 'openai']),
    )
    .addOption(new Option('--model <name>', 'model for --scorer openai (implies it)'))
    .addOption(
      new Option(
        '--llm-url <url>',
        'OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama (implies --scorer openai)',
      ).argParser(httpUrl('--llm-url')),
    )
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  shortlist rank --job job.txt ./resumes/
  shortlist rank --job job.txt ./resumes/ --out shortlist.html --out shortlist.csv
  shortlist rank --job job.txt -c "TypeScript:3!" -c PostgreSQL,Redis ./resumes/
  OPENAI_API_KEY=sk-... shortlist rank --job job.txt ./resumes/ --model gpt-4o-mini
  shortlist rank --job job.txt ./resumes/ --server http://127.0.0.1:8080 --api-key sl_...

The scorer reads the same variables as the workers: SCORER, OPENAI_BASE_URL, OPENAI_API_KEY
(only from the environment), LLM_MODEL, LLM_RPM, LLM_TPM, LLM_CONSENSUS, ... (see README).`,
    )
    .action(async (paths: string[], options: RankOptions, command: Command) => {
      const { rank } = await import('./rank.action');
      await rank(paths, { ...command.optsWithGlobals<GlobalOptions>(), ...options });
    });
}

import { Command, Option } from 'commander';
import { CliError, ExitCode } from '../exit-codes';
import { colorsFor, say } from '../output/terminal';
import { explainMissingRoute } from '../remote/api-client';
import { fetchResumes } from '../remote/results';
import { positiveInt, requireClient, type GlobalOptions } from './shared';

interface EmailOptions {
  top: number;
  kind: 'invite' | 'reject' | 'custom';
  tier?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function emailCommand(): Command {
  return new Command('email')
    .summary('send emails to the top N candidates of a job')
    .description(
      'Queue emails (invitation by default) to the top N scored candidates of a job on a server. ' +
        'Each candidate gets one email per kind and job version however often this runs.',
    )
    .argument('<jobId>')
    .requiredOption('-n, --top <n>', 'how many of the best-ranked candidates', positiveInt('--top'))
    .addOption(
      new Option('--kind <kind>', 'which email')
        .choices(['invite', 'reject', 'custom'])
        .default('invite'),
    )
    .addOption(
      new Option('--tier <tier>', 'only candidates of this tier').choices([
        'shortlist',
        'maybe',
        'reject',
      ]),
    )
    .option('--dry-run', 'list who would get an email, send nothing')
    .option('--json', 'print the server answer as JSON')
    .action(async (jobId: string, options: EmailOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const client = requireClient(globals, 'email');
      const resumes = (
        await fetchResumes(client, jobId, { tier: options.tier, max: options.top * 2 + 200 })
      )
        .filter((r) => r.status === 'done' && r.score !== null)
        .slice(0, options.top);
      if (resumes.length === 0)
        throw new CliError(
          `Job ${jobId} has no scored candidates${options.tier ? ` in tier ${options.tier}` : ''}.`,
          ExitCode.rejected,
        );
      const c = colorsFor(process.stderr, globals);
      for (const [i, r] of resumes.entries())
        say(
          `  ${i + 1}. ${r.candidate.name ?? r.fileName} ${c.dim(`<${r.candidate.email ?? 'no email'}>`)} score ${r.score}`,
        );
      if (options.dryRun) {
        say(`Dry run: ${resumes.length} ${options.kind} emails would be queued.`);
        return;
      }
      const answer = await client
        .post('/v1/emails', { jobId, resumeIds: resumes.map((r) => r.id), kind: options.kind })
        .catch((error: unknown) => explainMissingRoute(error, 'POST /v1/emails'));
      if (options.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else say(`Queued ${options.kind} emails for ${resumes.length} candidates.`);
    });
}

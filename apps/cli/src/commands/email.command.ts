import { Command, Option } from 'commander';
import { jsonOption, positiveInt, type GlobalOptions } from './options';
import type { EmailOptions } from './email.action';

export function emailCommand(): Command {
  return new Command('email')
    .summary('send emails to the top N candidates of a job')
    .description(
      'Queue emails (invitations by default) to the top N scored candidates of a job on a server. ' +
        'A candidate gets at most one email per kind and job version, however often this runs.',
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
    .addOption(jsonOption('the server answer'))
    .action(async (jobId: string, options: EmailOptions, command: Command) =>
      (await import('./email.action')).email(jobId, {
        ...command.optsWithGlobals<GlobalOptions>(),
        ...options,
      }),
    );
}

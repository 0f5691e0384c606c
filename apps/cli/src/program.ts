import { Command, Option } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes';
import { rankCommand } from './commands/rank.command';
import { serveCommand } from './commands/serve.command';
import { jobsCommand } from './commands/jobs.command';
import { followCommand, uploadCommand } from './commands/upload.command';
import { resultsCommand } from './commands/results.command';
import { emailCommand } from './commands/email.command';
import { adminCommand } from './commands/admin.command';

/** The `shortlist` command tree. */
export function buildProgram(): Command {
  const program = new Command('shortlist')
    .description(
      'Resume shortlisting from the command line: rank a folder offline in one command, or drive ' +
        'a Shortlist server (jobs, uploads, live progress, exports, emails, admin).',
    )
    .addOption(
      new Option('--server <url>', 'Shortlist server to talk to (default: work locally)').env(
        'SHORTLIST_SERVER',
      ),
    )
    .addOption(new Option('--api-key <key>', 'API key for --server').env('SHORTLIST_API_KEY'))
    .option('--no-color', 'no colours (also off when not a terminal or NO_COLOR is set)')
    .showHelpAfterError()
    .showSuggestionAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);

  program.addCommand(rankCommand());
  program.addCommand(serveCommand());
  program.addCommand(jobsCommand());
  program.addCommand(uploadCommand());
  program.addCommand(followCommand());
  program.addCommand(resultsCommand());
  program.addCommand(emailCommand());
  program.addCommand(adminCommand());
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.showHelpAfterError();
  return program;
}

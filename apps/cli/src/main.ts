import { CommanderError, type Command } from 'commander';
import { buildProgram } from './program';
import { CliError, ExitCode } from './exit-codes';
import { colorsFor } from './output/terminal';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  let active: Command = program;
  program.hook('preAction', (_root, command) => {
    active = command;
  });
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    return report(error, active);
  }
}

function report(error: unknown, command: Command): number {
  const c = colorsFor(process.stderr);
  if (error instanceof CommanderError) {
    // Commander already printed the message (and usage); help and --version are not errors.
    if (
      error.exitCode === 0 ||
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version'
    )
      return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`${c.red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${c.dim(error.hint)}\n`);
    if (error.exitCode === ExitCode.usage) process.stderr.write(`\n${command.helpInformation()}`);
    return error.exitCode;
  }
  // @shortlist/config's EnvError, matched by name so that --help never loads zod.
  if (error instanceof Error && error.name === 'EnvError') {
    process.stderr.write(`${error.message}\n`);
    return ExitCode.config;
  }
  process.stderr.write(
    `${c.red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.failure;
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});

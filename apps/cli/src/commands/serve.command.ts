import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes';

/** The quick-start launcher this command runs (the same as `npm start` after installing). */
export const SERVE_SCRIPT = resolve(__dirname, '..', '..', '..', '..', 'scripts', 'serve.mjs');

export function serveCommand(): Command {
  return new Command('serve')
    .summary('start the embedded stack (Redis, gateway, workers) as in the quick start')
    .description(
      'Start the embedded stack, as in the README quick start: Redis (started if none answers), ' +
        'the gateway and the workers. Prints the URL and an API key; Ctrl-C stops everything.',
    )
    .option(
      '--data-dir <dir>',
      'where data is kept (SQLite file, uploads, outbox, logs)',
      process.env.DATA_DIR ?? './data',
    )
    .option('--port <port>', 'gateway port (0 = any free port)', process.env.PORT ?? '8080')
    .option('--host <host>', 'gateway address', process.env.HOST ?? '127.0.0.1')
    .addHelpText(
      'after',
      '\nEvery variable of the README "Configuration" table (REDIS_URL, REDIS_PREFIX, STORE, ...) applies.',
    )
    .action(async (options: { dataDir: string; port: string; host: string }) => {
      if (!existsSync(SERVE_SCRIPT))
        throw new CliError(`Cannot find ${SERVE_SCRIPT}: "serve" runs from a Shortlist checkout.`);
      const child = spawn(process.execPath, [SERVE_SCRIPT], {
        stdio: 'inherit',
        env: {
          ...process.env,
          DATA_DIR: resolve(options.dataDir),
          PORT: options.port,
          HOST: options.host,
        },
      });
      // The launcher stops its children on SIGINT/SIGTERM; pass ours on and wait for it.
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      process.on('SIGINT', forward('SIGINT'));
      process.on('SIGTERM', forward('SIGTERM'));
      const code = await new Promise<number>((res) =>
        child.once('exit', (c, signal) => res(c ?? (signal ? 128 + 2 : ExitCode.failure))),
      );
      if (code !== 0)
        throw new CliError(`The stack stopped with exit code ${code}.`, ExitCode.failure);
    });
}

import { Command, Option } from 'commander';
import type { AdminOptions } from './admin.action';

export function adminCommand(): Command {
  const admin = new Command('admin')
    .summary('users and API keys, queue depths, cache stats and invalidation')
    .description(
      'Administration. Users and keys are managed in the local store (the DATA_DIR / STORE / ' +
        'SQLITE_PATH the gateway on this machine uses) with --local or when no server is set, ' +
        "or through the server's admin API with --server and an admin key. Keys are printed " +
        'once; only their hash is stored.',
    )
    .option('--local', 'act on the local store and Redis even when SHORTLIST_SERVER is set')
    .option('--data-dir <dir>', 'local data folder (default: DATA_DIR or ./data)')
    .option('--json', 'print JSON');
  const actions = () => import('./admin.action');
  const opts = (command: Command) => command.optsWithGlobals<AdminOptions>();

  admin
    .command('create-user')
    .description('Create a user with one API key; prints the key (once).')
    .requiredOption('--name <name>', "the user's name")
    .addOption(
      new Option('--role <role>', 'member or admin').choices(['member', 'admin']).default('member'),
    )
    .option('--label <label>', 'label of the first key', 'default')
    .action(
      async (input: { name: string; role: 'member' | 'admin'; label: string }, cmd: Command) =>
        (await actions()).createUser(input, opts(cmd)),
    );

  admin
    .command('create-key')
    .description('Issue another API key for a user; prints the key (once).')
    .requiredOption('--user <userId>')
    .option('--label <label>', 'what the key is for', 'default')
    .action(async (input: { user: string; label: string }, cmd: Command) =>
      (await actions()).createKey(input, opts(cmd)),
    );

  admin
    .command('list-keys')
    .description("A user's API keys (id, prefix, label, dates); never the keys themselves.")
    .requiredOption('--user <userId>')
    .action(async (input: { user: string }, cmd: Command) =>
      (await actions()).listKeys(input, opts(cmd)),
    );

  admin
    .command('rotate-key')
    .description('Replace a key: prints a new key with the same label; the old one stops working.')
    .requiredOption('--user <userId>')
    .argument('<keyId>')
    .action(async (keyId: string, input: { user: string }, cmd: Command) =>
      (await actions()).rotateKey(keyId, input, opts(cmd)),
    );

  admin
    .command('revoke-key')
    .description('Revoke a key: requests made with it are refused from now on.')
    .requiredOption('--user <userId>')
    .argument('<keyId>')
    .action(async (keyId: string, input: { user: string }, cmd: Command) =>
      (await actions()).revokeKey(keyId, input, opts(cmd)),
    );

  admin
    .command('queues')
    .description('Jobs per queue and state (waiting, active, delayed, failed, ...).')
    .action(async (_input: unknown, cmd: Command) => (await actions()).queues(opts(cmd)));

  const cache = admin
    .command('cache')
    .description('The analysis cache of a server: stats and invalidation.');
  cache
    .command('stats')
    .description('Hits, misses, hit ratio and size of the caches.')
    .action(async (_input: unknown, cmd: Command) => (await actions()).cacheStats(opts(cmd)));
  cache
    .command('invalidate')
    .description('Drop cached analyses (all of yours, or one job with --job).')
    .option('--job <jobId>', 'only this job')
    .action(async (input: { job?: string }, cmd: Command) =>
      (await actions()).cacheInvalidate(input, opts(cmd)),
    );

  return admin;
}

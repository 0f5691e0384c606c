import { parseArgs } from 'node:util';
import { loadEnv } from '@shortlist/config';
import { openStore, storeConfigFromEnv } from '@shortlist/store';
import { createUserWithKey } from './auth';
import { GatewayEnv } from './env';

const USAGE = `Usage: admin create-user --name <name> [--role member|admin] [--label <key label>]

Creates a user with one API key and prints the key once (it is stored hashed).`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string', default: 'member' },
      label: { type: 'string', default: 'default' },
      json: { type: 'boolean', default: false },
    },
  });
  if (
    positionals[0] !== 'create-user' ||
    !values.name ||
    !['member', 'admin'].includes(values.role ?? '')
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const env = loadEnv(GatewayEnv);
  const store = await openStore(storeConfigFromEnv(env));
  const { user, apiKey } = await createUserWithKey(store, {
    name: values.name,
    role: values.role as 'member' | 'admin',
    label: values.label,
  });
  await store.close();
  process.stdout.write(
    values.json ? `${JSON.stringify({ userId: user.id, apiKey })}\n` : `${apiKey}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

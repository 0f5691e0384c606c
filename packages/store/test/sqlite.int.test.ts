import { join } from 'node:path';
import { tempDir } from '@shortlist/testkit';
import { SqliteStore } from '../src';
import { describeStoreContract } from './store.contract';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('store-sqlite');
});

afterAll(async () => {
  await dir.remove();
});

describeStoreContract(
  'SQLite',
  async () =>
    new SqliteStore({
      path: join(dir.path, 'contract.db'),
      cursorSecret: 'contract-test-secret-0123',
    }),
);

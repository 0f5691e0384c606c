import { join } from 'node:path';
import { AppError } from '@shortlist/contracts';
import { SqliteStore, type Store } from '@shortlist/store';
import { tempDir } from '@shortlist/testkit';
import {
  createApiKey,
  createUserWithKey,
  findKeyOwner,
  hashApiKey,
  revokeApiKey,
  rotateApiKey,
} from './api-keys';

describe('API keys against a real SQLite store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: Store;

  beforeAll(async () => {
    dir = await tempDir('auth');
    store = new SqliteStore({
      path: join(dir.path, 'db.sqlite'),
      cursorSecret: 'auth-test-cursor-secret',
    });
  });
  afterAll(async () => {
    await store.close();
    await dir.remove();
  });

  it('stores only the hash of a new key, which then authenticates its user', async () => {
    const { user, apiKey } = await createUserWithKey(store, { name: 'Jane', role: 'member' });
    expect(apiKey).toMatch(/^sl_[A-Za-z0-9_-]{32}$/);
    const [record] = await store.apiKeys.list(user.id);
    expect(record!.hash).toBe(hashApiKey(apiKey));
    expect(JSON.stringify(record)).not.toContain(apiKey);
    expect((await findKeyOwner(store, apiKey))?.userId).toBe(user.id);
    expect(await findKeyOwner(store, `${apiKey}x`)).toBeNull();
  });

  it('rotates a key: the new one works, the old one stops working, the label is kept', async () => {
    const { user } = await createUserWithKey(store, { name: 'Rob', role: 'admin' });
    const old = await createApiKey(store, user.id, 'ci');
    const oldRecord = (await findKeyOwner(store, old))!;
    const rotated = await rotateApiKey(store, user.id, oldRecord.id);
    expect(rotated.key.label).toBe('ci');
    expect(await findKeyOwner(store, old)).toBeNull();
    expect((await findKeyOwner(store, rotated.apiKey))?.id).toBe(rotated.key.id);
  });

  it('revokes a key once, and refuses other users and unknown ids', async () => {
    const a = await createUserWithKey(store, { name: 'A', role: 'member' });
    const b = await createUserWithKey(store, { name: 'B', role: 'member' });
    const keyA = (await findKeyOwner(store, a.apiKey))!;
    await expect(revokeApiKey(store, b.user.id, keyA.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await findKeyOwner(store, a.apiKey)).not.toBeNull();
    const revoked = await revokeApiKey(store, a.user.id, keyA.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await findKeyOwner(store, a.apiKey)).toBeNull();
    await expect(revokeApiKey(store, a.user.id, keyA.id)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(createApiKey(store, 'usr_missing', 'x')).rejects.toBeInstanceOf(AppError);
  });
});

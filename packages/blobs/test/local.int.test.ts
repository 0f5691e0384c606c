import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { tempDir } from '@shortlist/testkit';
import { LocalBlobStore } from '../src';
import { describeBlobStoreContract } from './blob-store.contract';

describeBlobStoreContract('local folder', async () => {
  const dir = await tempDir('blobs-local');
  return {
    store: new LocalBlobStore(join(dir.path, 'blobs')),
    keyPrefix: '',
    leftovers: async () =>
      (await readdir(join(dir.path, 'blobs'), { recursive: true })).map(String),
    close: () => dir.remove(),
  };
});

describe('local folder: paths stay inside the root', () => {
  it('never reads or writes outside its folder, even through a planted symlink', async () => {
    const dir = await tempDir('blobs-escape');
    try {
      const root = join(dir.path, 'blobs');
      const store = new LocalBlobStore(root);
      await writeFile(join(dir.path, 'secret.txt'), 'outside');
      await store.put('seed', Readable.from([Buffer.from('x')]));
      await expect(store.get('../secret.txt')).rejects.toThrow(/unsafe blob key/);
      expect(await store.exists('../secret.txt')).toBe(false);
      // Writes go to a temporary file renamed over the key: a planted symlink is replaced,
      // never written through.
      await symlink(join(dir.path, 'secret.txt'), join(root, 'link'));
      await store.put('link', Readable.from([Buffer.from('overwritten')]));
      expect(await readFile(join(dir.path, 'secret.txt'), 'utf8')).toBe('outside');
    } finally {
      await dir.remove();
    }
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { BlobNotFoundError, type BlobStore } from '../src';
import { byteStream } from './byte-stream';

export interface BlobHarness {
  store: BlobStore;
  /** Every key a test writes starts with this, so suites can share a bucket. */
  keyPrefix: string;
  /** What else the backend holds under the prefix (files, objects), to prove nothing leaked. */
  leftovers?: () => Promise<string[]>;
  close(): Promise<void>;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The behaviour every blob adapter must have; run against local files and S3. */
export function describeBlobStoreContract(label: string, open: () => Promise<BlobHarness>): void {
  describe(`${label}: blob store contract`, () => {
    let h: BlobHarness;
    const key = (name: string) => `${h.keyPrefix}${name}`;

    beforeAll(async () => {
      h = await open();
    });

    afterAll(async () => {
      await h?.close();
    });

    it('stores a stream and streams back the same bytes, reporting the size', async () => {
      const data = Buffer.concat([randomBytes(100_000), Buffer.alloc(10), randomBytes(7)]);
      const put = await h.store.put(key('resumes/u1/r1'), Readable.from([data]), 'application/pdf');
      expect(put).toEqual({ key: key('resumes/u1/r1'), size: data.length });
      expect(await h.store.exists(key('resumes/u1/r1'))).toBe(true);
      const back = await buffer(await h.store.get(key('resumes/u1/r1')));
      expect(sha(back)).toBe(sha(data));
    });

    it('stores bytes already in memory, replacing what the key held, with nothing left over', async () => {
      const data = Buffer.from('Jane Doe\nTypeScript, 7 years\n');
      await h.store.put(key('texts/r1.txt'), Readable.from([Buffer.from('old')]));
      const put = await h.store.put(key('texts/r1.txt'), data, 'text/plain');
      expect(put).toEqual({ key: key('texts/r1.txt'), size: data.length });
      expect(await buffer(await h.store.get(key('texts/r1.txt')))).toEqual(data);
      if (h.leftovers)
        expect(await h.leftovers()).not.toContainEqual(expect.stringMatching(/\.part$/));
    });

    it('stores an empty blob', async () => {
      expect(await h.store.put(key('empty'), Readable.from([]))).toEqual({
        key: key('empty'),
        size: 0,
      });
      expect(await buffer(await h.store.get(key('empty')))).toHaveLength(0);
    });

    it('streams a blob larger than one multipart part', async () => {
      const source = byteStream(12 * 1024 * 1024 + 123);
      const put = await h.store.put(key('big'), source.stream);
      expect(put.size).toBe(12 * 1024 * 1024 + 123);
      const hash = createHash('sha256');
      for await (const chunk of await h.store.get(key('big'))) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(source.digest());
    });

    it('returns exactly the requested byte range', async () => {
      const data = randomBytes(50_000);
      await h.store.put(key('ranged'), Readable.from([data]));
      for (const [start, end] of [
        [0, 0],
        [10, 19],
        [49_000, 49_999],
        [12_345, 40_000],
      ] as const) {
        const part = await buffer(await h.store.get(key('ranged'), { start, end }));
        expect(part.equals(data.subarray(start, end + 1))).toBe(true);
      }
      await expect(h.store.get(key('ranged'), { start: 5, end: 2 })).rejects.toThrow(/range/);
    });

    it('replaces a blob written again under the same key', async () => {
      await h.store.put(key('again'), Readable.from([Buffer.from('first version')]));
      await h.store.put(key('again'), Readable.from([Buffer.from('second')]));
      expect((await buffer(await h.store.get(key('again')))).toString()).toBe('second');
    });

    it('answers not-found for missing blobs and deletes exactly once', async () => {
      await expect(h.store.get(key('missing'))).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await h.store.exists(key('missing'))).toBe(false);
      expect(await h.store.delete(key('missing'))).toBe(false);

      await h.store.put(key('doomed'), Readable.from([Buffer.from('x')]));
      expect(await h.store.delete(key('doomed'))).toBe(true);
      expect(await h.store.delete(key('doomed'))).toBe(false);
      expect(await h.store.exists(key('doomed'))).toBe(false);
      await expect(h.store.get(key('doomed'))).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('leaves nothing behind when the upload stream fails midway', async () => {
      const failing = byteStream(20 * 1024 * 1024, { failAfter: 11 * 1024 * 1024 });
      await expect(h.store.put(key('broken'), failing.stream)).rejects.toThrow(/client went away/);
      expect(await h.store.exists(key('broken'))).toBe(false);
      if (h.leftovers)
        expect((await h.leftovers()).filter((f) => f.includes('broken'))).toEqual([]);
    });

    it('rejects unsafe keys before touching storage', async () => {
      const unsafe = [
        '../outside',
        'a/../../etc/passwd',
        '/etc/passwd',
        'a//b',
        'a/./b',
        '',
        'name with spaces.pdf',
        'résumé.pdf',
        'a\\b',
        'x'.repeat(513),
      ];
      for (const bad of unsafe) {
        await expect(h.store.put(bad, Readable.from([Buffer.from('x')]))).rejects.toThrow(
          /unsafe blob key/,
        );
        await expect(h.store.get(bad)).rejects.toThrow(/unsafe blob key/);
        await expect(h.store.delete(bad)).rejects.toThrow(/unsafe blob key/);
      }
    });

    it('keeps concurrent uploads apart', async () => {
      const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(200_000 + i));
      await Promise.all(
        inputs.map((data, i) => h.store.put(key(`parallel/${i}`), Readable.from([data]))),
      );
      for (const [i, data] of inputs.entries()) {
        expect(sha(await buffer(await h.store.get(key(`parallel/${i}`))))).toBe(sha(data));
      }
    });

    it('answers ping when reachable', async () => {
      await expect(h.store.ping()).resolves.toBeUndefined();
    });
  });
}

import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalBlobStore, S3BlobStore, resumeBlobKey, type BlobStore } from '@shortlist/blobs';
import { startS3Server, tempDir, type S3TestServer } from '@shortlist/testkit';
import { resumeTextKey } from '@shortlist/contracts';
import { SqliteStore, purgeBatch, purgeJob, purgeResumes } from '../src';
import { makeBatch, makeJob, makeResume, makeUser } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
let s3: S3TestServer;
let store: SqliteStore;
const opened: BlobStore[] = [];

beforeAll(async () => {
  dir = await tempDir('store-purge');
  s3 = await startS3Server();
  store = new SqliteStore({
    path: join(dir.path, 'purge.db'),
    cursorSecret: 'purge-test-secret-0123',
  });
});

afterAll(async () => {
  for (const blobs of opened) if (blobs instanceof S3BlobStore) blobs.close();
  await store?.close();
  await s3?.stop();
  await dir?.remove();
});

const backends: [string, () => BlobStore][] = [
  ['local folder', () => new LocalBlobStore(join(dir.path, 'blobs'))],
  [
    'S3',
    () =>
      new S3BlobStore({
        bucket: s3.bucket,
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: s3.forcePathStyle,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        prefix: s3.prefix,
      }),
  ],
];

/** A tenant with a job, a batch and `n` resumes whose files exist in `blobs`. */
async function seed(blobs: BlobStore, n: number) {
  const user = await store.users.create(makeUser());
  const job = await store.jobs.create(makeJob(user.id));
  const batch = await store.batches.create(makeBatch(user.id, job.id, n));
  const resumes = Array.from({ length: n }, () => {
    const r = makeResume(user.id, job.id, batch.id);
    return { ...r, blobKey: resumeBlobKey(user.id, r.id) };
  });
  await store.resumes.createMany(resumes);
  for (const r of resumes) {
    await blobs.put(r.blobKey, Readable.from([Buffer.from(`cv ${r.id}`)]));
    await blobs.put(resumeTextKey(r.blobKey), Readable.from([Buffer.from(`text of ${r.id}`)]));
  }
  return { user, job, batch, resumes };
}

describe.each(backends)('deleting resumes removes their files (%s)', (_name, create) => {
  const open = () => {
    const blobs = create();
    opened.push(blobs);
    return blobs;
  };

  it('deletes a resume row, its blob and its extracted text, and leaves other tenants alone', async () => {
    const blobs = open();
    const mine = await seed(blobs, 3);
    const theirs = await seed(blobs, 1);
    const [first, second] = mine.resumes;

    const result = await purgeResumes(store, blobs, mine.user.id, [
      first!.id,
      theirs.resumes[0]!.id,
    ]);
    expect(result).toEqual({ deleted: [first!.id], blobsDeleted: 2, orphanedBlobKeys: [] });
    expect(await store.resumes.get(mine.user.id, first!.id)).toBeNull();
    expect(await blobs.exists(first!.blobKey)).toBe(false);
    expect(await blobs.exists(resumeTextKey(first!.blobKey))).toBe(false);
    expect(await blobs.exists(second!.blobKey)).toBe(true);
    expect(await blobs.exists(resumeTextKey(second!.blobKey))).toBe(true);
    expect(await blobs.exists(theirs.resumes[0]!.blobKey)).toBe(true);
    expect(await store.resumes.get(theirs.user.id, theirs.resumes[0]!.id)).not.toBeNull();
  });

  it('deleting a batch or a job removes every file in it', async () => {
    const blobs = open();
    const a = await seed(blobs, 4);
    expect(await purgeBatch(store, blobs, a.user.id, a.batch.id)).toEqual({
      blobsDeleted: 8,
      orphanedBlobKeys: [],
    });
    for (const r of a.resumes) {
      expect(await blobs.exists(r.blobKey)).toBe(false);
      expect(await blobs.exists(resumeTextKey(r.blobKey))).toBe(false);
    }

    const b = await seed(blobs, 5);
    expect(await purgeJob(store, blobs, b.user.id, b.job.id)).toEqual({
      resumesDeleted: 5,
      blobsDeleted: 10,
      orphanedBlobKeys: [],
    });
    for (const r of b.resumes) expect(await blobs.exists(r.blobKey)).toBe(false);
    expect(await store.jobs.get(b.user.id, b.job.id)).toBeNull();
    expect(await purgeJob(store, blobs, b.user.id, b.job.id)).toBeNull();
  });

  it('reports files it could not delete instead of failing the request', async () => {
    const blobs = open();
    const { user, resumes } = await seed(blobs, 2);
    const flaky = {
      delete: async (key: string) => {
        if (key === resumes[0]!.blobKey) throw new Error('storage unavailable');
        return blobs.delete(key);
      },
    };
    const result = await purgeResumes(
      store,
      flaky,
      user.id,
      resumes.map((r) => r.id),
    );
    expect(result.deleted.sort()).toEqual(resumes.map((r) => r.id).sort());
    expect(result.orphanedBlobKeys).toEqual([resumes[0]!.blobKey]);
    expect(await blobs.exists(resumes[1]!.blobKey)).toBe(false);
  });
});

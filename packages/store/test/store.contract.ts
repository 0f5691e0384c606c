import {
  AppError,
  type AuditRecord,
  type Page,
  type Resume,
  type ResumeStatus,
} from '@shortlist/contracts';
import {
  ERASED,
  MAX_PAGE_SIZE,
  eraseEmail,
  isErasedEmail,
  purgeOlderThan,
  type PageRequest,
  type ResumeFilter,
  type Store,
} from '../src';
import {
  at,
  byScore,
  makeAnalysis,
  byUploadedAt,
  makeBatch,
  makeEmail,
  makeJob,
  makeResume,
  makeResumeSet,
  makeUser,
  randomId,
} from './fixtures';

/**
 * The behaviour every store adapter must have. Each adapter's test file calls this with a way to
 * open a fresh store; the same assertions then run against SQLite and Firestore.
 */
export function describeStoreContract(label: string, open: () => Promise<Store>): void {
  describe(`${label}: store contract`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await open();
    });

    afterAll(async () => {
      await store?.close();
    });

    /** Follows `nextCursor` to the end; fails if a list never ends. */
    async function walk<T>(
      list: (page: PageRequest) => Promise<Page<T>>,
      limit: number,
    ): Promise<{ items: T[]; pages: number }> {
      const items: T[] = [];
      let cursor: string | undefined;
      for (let pages = 1; pages <= 10_000; pages++) {
        const page = await list({ cursor, limit });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        items.push(...page.items);
        if (!page.nextCursor) return { items, pages };
        cursor = page.nextCursor;
      }
      throw new Error('the list never ended');
    }

    async function expectInvalidCursor(promise: Promise<unknown>): Promise<void> {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'invalid_cursor', status: 400, field: 'cursor' });
      expect((error as AppError).message).toMatch(/cursor/i);
    }

    async function newTenantWithJob() {
      const user = await store.users.create(makeUser());
      const job = await store.jobs.create(makeJob(user.id));
      return { user, job };
    }

    describe('users and API keys', () => {
      it('creates and reads users; unknown ids and uids are null', async () => {
        const user = await store.users.create(makeUser({ firebaseUid: randomId('uid') }));
        expect(await store.users.get(user.id)).toEqual(user);
        expect(await store.users.findByFirebaseUid(user.firebaseUid!)).toEqual(user);
        expect(await store.users.get(randomId('usr'))).toBeNull();
        expect(await store.users.findByFirebaseUid(randomId('uid'))).toBeNull();
      });

      it('lists every user id (for retention sweeps)', async () => {
        const a = await store.users.create(makeUser());
        const b = await store.users.create(makeUser());
        const ids = await store.users.listIds();
        expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('authenticates by key hash until revoked; only the owner can revoke', async () => {
        const owner = await store.users.create(makeUser());
        const other = await store.users.create(makeUser());
        const key = await store.apiKeys.create({
          id: randomId('key'),
          userId: owner.id,
          prefix: 'sl_abcd',
          hash: randomId('hash'),
          label: 'laptop',
          createdAt: at(1),
          revokedAt: null,
        });
        expect(await store.apiKeys.findActiveByHash(key.hash)).toEqual(key);
        expect(await store.apiKeys.list(owner.id)).toEqual([key]);
        expect(await store.apiKeys.list(other.id)).toEqual([]);

        expect(await store.apiKeys.revoke(other.id, key.id, at(2))).toBe(false);
        expect(await store.apiKeys.findActiveByHash(key.hash)).toEqual(key);

        expect(await store.apiKeys.revoke(owner.id, key.id, at(3))).toBe(true);
        expect(await store.apiKeys.revoke(owner.id, key.id, at(4))).toBe(false);
        expect(await store.apiKeys.findActiveByHash(key.hash)).toBeNull();
        expect(await store.apiKeys.list(owner.id)).toEqual([{ ...key, revokedAt: at(3) }]);
      });
    });

    describe('jobs', () => {
      it('lists newest first with an id tie-break, each job exactly once across pages', async () => {
        const user = await store.users.create(makeUser());
        const jobs = await Promise.all(
          Array.from({ length: 7 }, (_, i) =>
            store.jobs.create(makeJob(user.id, { createdAt: at(Math.floor(i / 2)) })),
          ),
        );
        const expected = [...jobs]
          .sort((a, b) =>
            a.createdAt !== b.createdAt
              ? a.createdAt < b.createdAt
                ? 1
                : -1
              : a.id < b.id
                ? -1
                : 1,
          )
          .map((j) => j.id);
        const { items, pages } = await walk((p) => store.jobs.list(user.id, p), 3);
        expect(items.map((j) => j.id)).toEqual(expected);
        expect(pages).toBe(3);
      });

      it('updates fields, bumps the version only when asked, and answers null for unknown ids', async () => {
        const { user, job } = await newTenantWithJob();
        const renamed = await store.jobs.update(
          user.id,
          job.id,
          { title: 'Staff engineer' },
          false,
          at(5),
        );
        expect(renamed).toEqual({ ...job, title: 'Staff engineer', updatedAt: at(5) });
        const bumped = await store.jobs.update(
          user.id,
          job.id,
          { criteria: [{ name: 'Go', weight: 1, required: false }], criteriaDerived: false },
          true,
          at(6),
        );
        expect(bumped?.version).toBe(2);
        expect(bumped?.criteria).toEqual([{ name: 'Go', weight: 1, required: false }]);
        expect(await store.jobs.get(user.id, job.id)).toEqual(bumped);
        expect(
          await store.jobs.update(user.id, randomId('job'), { title: 'x' }, true, at(7)),
        ).toBeNull();
      });

      it('keeps the job whose criteria were reused until an edit clears it', async () => {
        const { user, job: source } = await newTenantWithJob();
        const reusing = await store.jobs.create(
          makeJob(user.id, { criteriaDerived: true, criteriaReusedFrom: source.id }),
        );
        expect((await store.jobs.get(user.id, reusing.id))?.criteriaReusedFrom).toBe(source.id);
        expect((await store.jobs.get(user.id, source.id))?.criteriaReusedFrom).toBeUndefined();
        const edited = await store.jobs.update(
          user.id,
          reusing.id,
          { criteria: [{ name: 'Go', weight: 1, required: false }], criteriaReusedFrom: null },
          true,
          at(6),
        );
        expect(edited).not.toHaveProperty('criteriaReusedFrom');
        expect(await store.jobs.get(user.id, reusing.id)).toEqual(edited);
      });

      it('bumps the version atomically under concurrent edits', async () => {
        const { user, job } = await newTenantWithJob();
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.jobs.update(user.id, job.id, { title: `Title ${i}` }, true, at(10 + i)),
          ),
        );
        expect((await store.jobs.get(user.id, job.id))?.version).toBe(13);
      });

      it('delete removes the job with its batches, resumes and emails and returns their blob keys', async () => {
        const { user, job } = await newTenantWithJob();
        const keep = await store.jobs.create(makeJob(user.id));
        const batch = await store.batches.create(makeBatch(user.id, job.id, 3));
        const resumes = [0, 1, 2].map(() => makeResume(user.id, job.id, batch.id));
        await store.resumes.createMany(resumes);
        const keptBatch = await store.batches.create(makeBatch(user.id, keep.id, 1));
        const kept = makeResume(user.id, keep.id, keptBatch.id);
        await store.resumes.createMany([kept]);
        await store.emails.createIfAbsent(makeEmail(user.id, resumes[0]!));

        const deleted = await store.jobs.delete(user.id, job.id);
        expect(deleted?.blobKeys.sort()).toEqual(resumes.map((r) => r.blobKey).sort());
        expect(await store.jobs.get(user.id, job.id)).toBeNull();
        expect(await store.batches.get(user.id, batch.id)).toBeNull();
        expect(await store.resumes.get(user.id, resumes[0]!.id)).toBeNull();
        expect(await store.resumes.count(user.id, { jobId: job.id })).toBe(0);
        expect((await store.emails.list(user.id, { jobId: job.id }, {})).items).toEqual([]);
        expect(await store.jobs.delete(user.id, job.id)).toBeNull();
        // The other job is untouched.
        expect(await store.resumes.get(user.id, kept.id)).toEqual(kept);
        expect(await store.batches.get(user.id, keptBatch.id)).toEqual(keptBatch);
      });
    });

    describe('batches', () => {
      /** The batch's counters agree with its resume rows, status by status. */
      async function expectCountsMatchRows(userId: string, batchId: string) {
        const batch = await store.batches.get(userId, batchId);
        const stats = await store.resumes.stats(userId, { batchId });
        expect(batch?.counts).toEqual({ total: stats.total, ...stats.byStatus });
      }

      it('transitions move the counters in the same write and set finishedAt once', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 3));
        const [r1, r2, r3] = [0, 1, 2].map(() => makeResume(user.id, job.id, batch.id));
        await store.resumes.createMany([r1!, r2!, r3!]);
        const move = (id: string, from: ResumeStatus, to: ResumeStatus, t: number) =>
          store.resumes.transition(user.id, id, [from], { status: to }, at(t));

        let moved = await move(r1!.id, 'queued', 'processing', 1);
        expect(moved?.resume.status).toBe('processing');
        expect(moved?.batch?.counts).toEqual({
          total: 3,
          queued: 2,
          processing: 1,
          done: 0,
          failed: 0,
          duplicate: 0,
        });
        expect(moved?.batchFinished).toBe(false);
        // A patch that keeps the status leaves the counters alone.
        moved = await store.resumes.transition(
          user.id,
          r1!.id,
          ['processing'],
          { score: 5 },
          at(1),
        );
        expect(moved?.batch?.counts).toMatchObject({ queued: 2, processing: 1 });
        await move(r1!.id, 'processing', 'done', 2);
        moved = await move(r2!.id, 'queued', 'failed', 3);
        expect(moved?.batch?.finishedAt).toBeNull();
        expect(moved?.batchFinished).toBe(false);
        moved = await move(r3!.id, 'queued', 'duplicate', 4);
        expect(moved?.batch?.counts).toEqual({
          total: 3,
          queued: 0,
          processing: 0,
          done: 1,
          failed: 1,
          duplicate: 1,
        });
        expect(moved?.batch?.finishedAt).toBe(at(4));
        expect(moved?.batchFinished).toBe(true);
        await expectCountsMatchRows(user.id, batch.id);
        // Re-analysing a failed resume and finishing it again does not move the finish time.
        moved = await move(r2!.id, 'failed', 'queued', 8);
        expect(moved?.batch?.counts).toMatchObject({ queued: 1, failed: 0 });
        moved = await move(r2!.id, 'queued', 'done', 9);
        expect(moved?.batch?.counts).toMatchObject({ queued: 0, done: 2 });
        expect(moved?.batch?.finishedAt).toBe(at(4));
        expect(moved?.batchFinished).toBe(false);
        expect(await store.batches.get(user.id, batch.id)).toEqual(moved?.batch);
        await expectCountsMatchRows(user.id, batch.id);
        // A refused transition changes nothing.
        expect(await move(r2!.id, 'queued', 'processing', 10)).toBeNull();
        await expectCountsMatchRows(user.id, batch.id);
      });

      it('loses no count when many transitions race; exactly one finishes the batch', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 40));
        const resumes = Array.from({ length: 40 }, () => makeResume(user.id, job.id, batch.id));
        await store.resumes.createMany(resumes);
        const results = await Promise.all(
          resumes.map(async (r, i) => {
            await store.resumes.transition(
              user.id,
              r.id,
              ['queued'],
              { status: 'processing' },
              at(100 + i),
            );
            return store.resumes.transition(
              user.id,
              r.id,
              ['processing'],
              { status: i % 4 === 0 ? 'failed' : 'done' },
              at(200 + i),
            );
          }),
        );
        expect(results.every((r) => r !== null)).toBe(true);
        expect(results.filter((r) => r!.batchFinished)).toHaveLength(1);
        const final = await store.batches.get(user.id, batch.id);
        expect(final?.counts).toEqual({
          total: 40,
          queued: 0,
          processing: 0,
          done: 30,
          failed: 10,
          duplicate: 0,
        });
        expect(final?.finishedAt).not.toBeNull();
        await expectCountsMatchRows(user.id, batch.id);
      });

      it('deleting resumes takes them out of their batch counters, and can finish it', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 4));
        const [r1, r2, r3, r4] = [0, 1, 2, 3].map(() => makeResume(user.id, job.id, batch.id));
        await store.resumes.createMany([r1!, r2!, r3!, r4!]);
        await store.resumes.transition(user.id, r1!.id, ['queued'], { status: 'done' }, at(1));
        await store.resumes.transition(
          user.id,
          r2!.id,
          ['queued'],
          { status: 'processing' },
          at(1),
        );
        await store.resumes.delete(user.id, r2!.id);
        expect((await store.batches.get(user.id, batch.id))?.counts).toEqual({
          total: 3,
          queued: 2,
          processing: 0,
          done: 1,
          failed: 0,
          duplicate: 0,
        });
        await store.resumes.deleteMany(user.id, [r3!.id, r4!.id, randomId('res')]);
        const after = await store.batches.get(user.id, batch.id);
        expect(after?.counts).toEqual({
          total: 1,
          queued: 0,
          processing: 0,
          done: 1,
          failed: 0,
          duplicate: 0,
        });
        expect(after?.finishedAt).not.toBeNull();
        await expectCountsMatchRows(user.id, batch.id);
      });

      it('a retention purge keeps every batch counter equal to the resumes that remain and drops emptied batches', async () => {
        const { user, job } = await newTenantWithJob();
        const mixed = await store.batches.create(makeBatch(user.id, job.id, 5));
        const allOld = await store.batches.create(makeBatch(user.id, job.id, 2));
        const resume = (batchId: string, uploaded: number, status: ResumeStatus) =>
          makeResume(user.id, job.id, batchId, { uploadedAt: at(uploaded), status });
        await store.resumes.createMany([
          resume(mixed.id, 0, 'queued'),
          resume(mixed.id, 0, 'queued'),
          resume(mixed.id, 0, 'queued'),
          resume(mixed.id, 100, 'queued'),
          resume(mixed.id, 100, 'queued'),
          resume(allOld.id, 0, 'queued'),
          resume(allOld.id, 0, 'queued'),
        ]);
        const rows = (await store.resumes.list(user.id, {}, 'uploadedAt', {})).items;
        const [new1, , old1, old2, , old3] = rows;
        const move = (id: string, to: ResumeStatus[]) =>
          to.reduce(
            (p, status, i) =>
              p.then(() =>
                store.resumes.transition(
                  user.id,
                  id,
                  [i === 0 ? 'queued' : to[i - 1]!],
                  { status },
                  at(101),
                ),
              ),
            Promise.resolve<unknown>(null),
          );
        await move(new1!.id, ['processing', 'done']);
        await move(old1!.id, ['processing', 'done']);
        await move(old2!.id, ['processing']);
        await move(old3!.id, ['failed']);

        const purged = await purgeOlderThan(store, { delete: async () => true }, user.id, at(50));
        expect(purged.resumesDeleted).toBe(5);
        await expectCountsMatchRows(user.id, mixed.id);
        expect((await store.batches.get(user.id, mixed.id))?.counts).toEqual({
          total: 2,
          queued: 1,
          processing: 0,
          done: 1,
          failed: 0,
          duplicate: 0,
        });
        // A batch left without any resume goes too; the job stays.
        expect(purged.batchesDeleted).toEqual([allOld.id]);
        expect(await store.batches.get(user.id, allOld.id)).toBeNull();
        expect(await store.jobs.get(user.id, job.id)).not.toBeNull();
        expect(await store.resumes.count(user.id, { jobId: job.id })).toBe(2);
      });

      it("lists a job's batches newest first and deletes a batch with its resumes", async () => {
        const { user, job } = await newTenantWithJob();
        const other = await store.jobs.create(makeJob(user.id));
        const b1 = await store.batches.create(makeBatch(user.id, job.id, 1, { createdAt: at(1) }));
        const b2 = await store.batches.create(makeBatch(user.id, job.id, 2, { createdAt: at(2) }));
        const b3 = await store.batches.create(
          makeBatch(user.id, other.id, 1, { createdAt: at(3) }),
        );
        const byJob = await walk((p) => store.batches.list(user.id, { jobId: job.id }, p), 1);
        expect(byJob.items.map((b) => b.id)).toEqual([b2.id, b1.id]);
        const all = await walk((p) => store.batches.list(user.id, {}, p), 2);
        expect(all.items.map((b) => b.id)).toEqual([b3.id, b2.id, b1.id]);

        const resumes = [makeResume(user.id, job.id, b2.id), makeResume(user.id, job.id, b2.id)];
        await store.resumes.createMany(resumes);
        const removed = await store.batches.delete(user.id, b2.id);
        expect(removed?.blobKeys.sort()).toEqual(resumes.map((r) => r.blobKey).sort());
        expect(await store.batches.get(user.id, b2.id)).toBeNull();
        expect(await store.resumes.get(user.id, resumes[0]!.id)).toBeNull();
        expect(await store.batches.delete(user.id, b2.id)).toBeNull();
      });
    });

    describe('resumes: 1,050 in one job', () => {
      let userId: string;
      let jobId: string;
      let batchId: string;
      let resumes: Resume[];
      const expectFilter = (filter: ResumeFilter) =>
        resumes.filter(
          (r) =>
            (filter.tier === undefined || r.tier === filter.tier) &&
            (filter.status === undefined || r.status === filter.status) &&
            (filter.minScore === undefined || (r.score !== null && r.score >= filter.minScore)) &&
            (filter.hasWarnings === undefined || r.warnings.length > 0 === filter.hasWarnings),
        );

      beforeAll(async () => {
        const { user, job } = await newTenantWithJob();
        userId = user.id;
        jobId = job.id;
        batchId = (await store.batches.create(makeBatch(userId, jobId, 1_050))).id;
        resumes = makeResumeSet(userId, jobId, batchId, 1_050);
        await store.resumes.createMany(resumes);
        // Another job of the same tenant must never leak into this job's lists.
        const otherJob = await store.jobs.create(makeJob(userId));
        const otherBatch = await store.batches.create(makeBatch(userId, otherJob.id, 5));
        await store.resumes.createMany(makeResumeSet(userId, otherJob.id, otherBatch.id, 5));
      });

      it('pages by score: every resume exactly once, best first, unscored last, ties by id', async () => {
        const { items, pages } = await walk(
          (p) => store.resumes.list(userId, { jobId }, 'score', p),
          50,
        );
        expect(pages).toBe(21);
        expect(new Set(items.map((r) => r.id)).size).toBe(1_050);
        expect(items.map((r) => r.id)).toEqual([...resumes].sort(byScore).map((r) => r.id));
        expect(items.at(-1)?.score).toBeNull();
      });

      it('pages by upload time: newest first, then best score, then id', async () => {
        const { items } = await walk(
          (p) => store.resumes.list(userId, { jobId }, 'uploadedAt', p),
          37,
        );
        expect(items.map((r) => r.id)).toEqual([...resumes].sort(byUploadedAt).map((r) => r.id));
      });

      it('returns records exactly as stored', async () => {
        const sample = resumes.filter((_, i) => i % 97 === 0);
        for (const r of sample) expect(await store.resumes.get(userId, r.id)).toEqual(r);
      });

      it('serves the same records as JSON text, byte for byte, to their owner only', async () => {
        const odd = makeResume(userId, jobId, batchId, {
          fileName: 'Zoë "the CV" \\ <script>\u2028\t\u0001\u007f\ud83d\ude00.pdf',
          error: 'Line one\nline two "quoted"\r\b\f',
          duplicateOf: null,
          size: 0,
          textChars: 123_456,
          status: 'done',
          score: 71.33333333333333,
          tier: 'maybe',
          analysis: makeAnalysis(71.33333333333333, {
            summary: 'Quotes " and \n newlines\t\u0000',
          }),
          candidate: {
            name: 'Ünal',
            email: null,
            phone: '+1 555',
            links: ['https://x.test/?a=1&b="2"'],
          },
          warnings: [{ code: 'hidden_text', message: 'Hidden.', snippet: '\ud83d\ude00 hi' }],
        });
        await store.resumes.createMany([odd]);
        try {
          const other = await store.users.create(makeUser());
          for (const r of [odd, ...resumes.filter((_, i) => i % 97 === 0)]) {
            const text = await store.resumes.getJson(userId, r.id);
            expect(text).toBe(JSON.stringify(await store.resumes.get(userId, r.id)));
            expect(JSON.parse(text!)).toEqual(r);
            expect(await store.resumes.getJson(other.id, r.id)).toBeNull();
          }
          for (const [filter, sort] of [
            [{ jobId }, 'score'],
            [{ jobId, tier: 'maybe' }, 'uploadedAt'],
            [{ batchId, hasWarnings: true }, 'score'],
          ] as const) {
            let cursor: string | undefined;
            for (let pages = 0; pages < 3; pages++) {
              const page = await store.resumes.list(userId, filter, sort, { cursor, limit: 40 });
              const json = await store.resumes.listJson(userId, filter, sort, {
                cursor,
                limit: 40,
              });
              expect(json.items).toEqual(page.items.map((r) => JSON.stringify(r)));
              expect(json.nextCursor).toBe(page.nextCursor);
              cursor = page.nextCursor ?? undefined;
            }
            const foreign = await store.resumes.listJson(other.id, filter, sort, {});
            expect(foreign.items).toEqual([]);
          }
        } finally {
          await store.resumes.deleteMany(userId, [odd.id]);
        }
      });

      const filters: [string, ResumeFilter][] = [
        ['tier', { tier: 'shortlist' }],
        ['status', { status: 'failed' }],
        ['minScore', { minScore: 62.5 }],
        ['tier and minScore', { tier: 'maybe', minScore: 50 }],
        ['warnings', { hasWarnings: true }],
        ['no warnings', { hasWarnings: false, status: 'done' }],
      ];
      it.each(filters)('filters by %s, in both sorts, across pages', async (_name, filter) => {
        const expected = expectFilter(filter);
        expect(expected.length).toBeGreaterThan(0);
        for (const [sort, order] of [
          ['score', byScore],
          ['uploadedAt', byUploadedAt],
        ] as const) {
          const { items } = await walk(
            (p) => store.resumes.list(userId, { jobId, ...filter }, sort, p),
            60,
          );
          expect(items.map((r) => r.id)).toEqual([...expected].sort(order).map((r) => r.id));
        }
        expect(await store.resumes.count(userId, { jobId, ...filter })).toBe(expected.length);
      });

      it('filters by batch', async () => {
        expect(await store.resumes.count(userId, { batchId })).toBe(1_050);
        const page = await store.resumes.list(userId, { batchId, tier: 'reject' }, 'score', {
          limit: 5,
        });
        expect(page.items.map((r) => r.id)).toEqual(
          expectFilter({ tier: 'reject' })
            .sort(byScore)
            .slice(0, 5)
            .map((r) => r.id),
        );
      });

      it('computes stats from the matching resumes', async () => {
        const stats = await store.resumes.stats(userId, { jobId });
        const scored = resumes.filter((r) => r.score !== null);
        const histogram = new Array<number>(10).fill(0);
        for (const r of scored) histogram[Math.min(9, Math.floor(r.score! / 10))]!++;
        expect(stats.total).toBe(1_050);
        expect(stats.byStatus).toEqual({
          queued: resumes.filter((r) => r.status === 'queued').length,
          processing: 0,
          done: scored.length,
          failed: resumes.filter((r) => r.status === 'failed').length,
          duplicate: 0,
        });
        expect(stats.byTier).toEqual({
          shortlist: resumes.filter((r) => r.tier === 'shortlist').length,
          maybe: resumes.filter((r) => r.tier === 'maybe').length,
          reject: resumes.filter((r) => r.tier === 'reject').length,
        });
        expect(stats.scoreHistogram).toEqual(histogram);
        expect(stats.tokensIn).toBe(scored.reduce((n, r) => n + r.analysis!.tokensIn, 0));
        expect(stats.tokensOut).toBe(scored.reduce((n, r) => n + r.analysis!.tokensOut, 0));
        expect(stats.costUsd).toBeCloseTo(
          scored.reduce((n, r) => n + r.analysis!.costUsd, 0),
          6,
        );

        const shortlisted = await store.resumes.stats(userId, { jobId, tier: 'shortlist' });
        expect(shortlisted.total).toBe(stats.byTier.shortlist);
        expect(shortlisted.byTier).toEqual({
          shortlist: stats.byTier.shortlist,
          maybe: 0,
          reject: 0,
        });
      });

      it('clamps a limit above the maximum and below one', async () => {
        const big = await store.resumes.list(userId, { jobId }, 'score', { limit: 10_000 });
        expect(big.items).toHaveLength(MAX_PAGE_SIZE);
        expect(big.nextCursor).not.toBeNull();
        const small = await store.resumes.list(userId, { jobId }, 'score', { limit: 0 });
        expect(small.items).toHaveLength(1);
      });

      it('rejects tampered, foreign and malformed cursors with invalid_cursor on the cursor field', async () => {
        const first = await store.resumes.list(userId, { jobId }, 'score', { limit: 10 });
        const cursor = first.nextCursor!;
        const [body, signature] = cursor.split('.') as [string, string];
        const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
          v: unknown[];
          i: string;
        };
        const forged = Buffer.from(JSON.stringify({ ...decoded, v: [-1], i: 'res_0' })).toString(
          'base64url',
        );
        await expectInvalidCursor(
          store.resumes.list(userId, { jobId }, 'score', { cursor: `${forged}.${signature}` }),
        );
        const flipped = signature.startsWith('A')
          ? `B${signature.slice(1)}`
          : `A${signature.slice(1)}`;
        await expectInvalidCursor(
          store.resumes.list(userId, { jobId }, 'score', { cursor: `${body}.${flipped}` }),
        );
        for (const garbage of ['nope', 'a.b.c', `${'x'.repeat(5_000)}.y`]) {
          await expectInvalidCursor(
            store.resumes.list(userId, { jobId }, 'score', { cursor: garbage }),
          );
        }
        // A valid cursor of another query: other sort, other filter, other tenant, other list.
        await expectInvalidCursor(store.resumes.list(userId, { jobId }, 'uploadedAt', { cursor }));
        await expectInvalidCursor(
          store.resumes.list(userId, { jobId, tier: 'maybe' }, 'score', { cursor }),
        );
        const stranger = await store.users.create(makeUser());
        await expectInvalidCursor(store.resumes.list(stranger.id, { jobId }, 'score', { cursor }));
        await expectInvalidCursor(store.jobs.list(userId, { cursor }));
        // The genuine cursor still works.
        const second = await store.resumes.list(userId, { jobId }, 'score', { cursor, limit: 10 });
        expect(second.items[0]?.id).toBe([...resumes].sort(byScore)[10]!.id);
      });
    });

    describe('resume lifecycle', () => {
      it('finds the first non-duplicate resume with the same content in the job', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 3));
        const sha = 'a'.repeat(64);
        const original = makeResume(user.id, job.id, batch.id, { sha256: sha, uploadedAt: at(5) });
        const duplicate = makeResume(user.id, job.id, batch.id, {
          sha256: sha,
          uploadedAt: at(1),
          status: 'duplicate',
          duplicateOf: original.id,
        });
        const otherJob = await store.jobs.create(makeJob(user.id));
        const elsewhere = makeResume(user.id, otherJob.id, batch.id, {
          sha256: sha,
          uploadedAt: at(0),
        });
        await store.resumes.createMany([duplicate, original, elsewhere]);
        expect((await store.resumes.findBySha256(user.id, job.id, sha))?.id).toBe(original.id);
        expect(await store.resumes.findBySha256(user.id, job.id, 'b'.repeat(64))).toBeNull();
      });

      it('transition is compare-and-set: of concurrent claims exactly one wins', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 1));
        const resume = makeResume(user.id, job.id, batch.id);
        await store.resumes.createMany([resume]);
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.resumes.transition(
              user.id,
              resume.id,
              ['queued'],
              { status: 'processing' },
              at(10 + i),
            ),
          ),
        );
        expect(claims.filter((c) => c !== null)).toHaveLength(1);
        const moved = await store.resumes.transition(
          user.id,
          resume.id,
          ['processing'],
          { status: 'done', score: 80, tier: 'shortlist' },
          at(30),
        );
        const done = moved?.resume;
        expect(done).toMatchObject({
          status: 'done',
          score: 80,
          tier: 'shortlist',
          updatedAt: at(30),
        });
        expect(
          await store.resumes.transition(
            user.id,
            resume.id,
            ['queued', 'processing'],
            { status: 'failed' },
            at(31),
          ),
        ).toBeNull();
        expect(await store.resumes.get(user.id, resume.id)).toEqual(done);
        expect(
          await store.resumes.transition(
            user.id,
            randomId('res'),
            ['queued'],
            { status: 'processing' },
            at(32),
          ),
        ).toBeNull();
      });

      it('replaceAnalysis re-scores a done resume only for a newer job version', async () => {
        const { user, job } = await newTenantWithJob();
        const stranger = await store.users.create(makeUser());
        const batch = await store.batches.create(makeBatch(user.id, job.id, 2));
        const done = makeResume(user.id, job.id, batch.id, {
          status: 'done',
          score: 40,
          tier: 'reject',
          analysis: makeAnalysis(40),
        });
        const queued = makeResume(user.id, job.id, batch.id);
        await store.resumes.createMany([done, queued]);
        const rescored = makeAnalysis(80);
        const patch = { analysis: rescored, score: 80, tier: 'shortlist' as const };

        expect(
          await store.resumes.replaceAnalysis(stranger.id, done.id, 2, patch, at(5)),
        ).toBeNull();
        expect(await store.resumes.replaceAnalysis(user.id, queued.id, 2, patch, at(5))).toBeNull();
        const replaced = await store.resumes.replaceAnalysis(user.id, done.id, 2, patch, at(5));
        expect(replaced).toMatchObject({
          status: 'done',
          jobVersion: 2,
          score: 80,
          tier: 'shortlist',
        });
        expect(replaced?.analysis).toEqual(rescored);
        // A late result for the same or an older version never overwrites the newer one.
        expect(
          await store.resumes.replaceAnalysis(user.id, done.id, 2, { score: 1 }, at(6)),
        ).toBeNull();
        expect(
          await store.resumes.replaceAnalysis(user.id, done.id, 1, { score: 1 }, at(6)),
        ).toBeNull();
        expect(await store.resumes.get(user.id, done.id)).toEqual(replaced);
        const ranked = await store.resumes.list(
          user.id,
          { jobId: job.id, minScore: 70 },
          'score',
          {},
        );
        expect(ranked.items.map((r) => r.id)).toEqual([done.id]);
      });

      it('update patches fields; scored resumes sort and filter by the new score', async () => {
        const { user, job } = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 2));
        const [a, b] = [
          makeResume(user.id, job.id, batch.id),
          makeResume(user.id, job.id, batch.id),
        ];
        await store.resumes.createMany([a!, b!]);
        const updated = await store.resumes.update(
          user.id,
          b!.id,
          {
            score: 91.5,
            tier: 'shortlist',
            warnings: [
              { code: 'hidden_text', message: 'White text found.', snippet: 'ignore all' },
            ],
            candidate: { name: 'Ana Silva', email: 'ana@example.com', phone: null, links: [] },
          },
          at(3),
        );
        expect(updated).toMatchObject({ score: 91.5, tier: 'shortlist', updatedAt: at(3) });
        expect(await store.resumes.get(user.id, b!.id)).toEqual(updated);
        const ranked = await store.resumes.list(user.id, { jobId: job.id }, 'score', {});
        expect(ranked.items.map((r) => r.id)).toEqual([b!.id, a!.id]);
        expect(await store.resumes.count(user.id, { jobId: job.id, hasWarnings: true })).toBe(1);
        expect(
          await store.resumes.update(user.id, randomId('res'), { score: 1 }, at(4)),
        ).toBeNull();
      });

      it('delete returns the blob key once; deleteMany skips unknown and foreign ids', async () => {
        const { user, job } = await newTenantWithJob();
        const stranger = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(user.id, job.id, 4));
        const mine = [0, 1, 2].map(() => makeResume(user.id, job.id, batch.id));
        const theirs = makeResume(stranger.user.id, stranger.job.id, randomId('bat'));
        await store.resumes.createMany(mine);
        await store.resumes.createMany([theirs]);

        expect(await store.resumes.delete(user.id, mine[0]!.id)).toEqual({
          blobKey: mine[0]!.blobKey,
        });
        expect(await store.resumes.delete(user.id, mine[0]!.id)).toBeNull();
        const many = await store.resumes.deleteMany(user.id, [
          mine[1]!.id,
          mine[2]!.id,
          theirs.id,
          randomId('res'),
        ]);
        expect(many.deleted.sort()).toEqual([mine[1]!.id, mine[2]!.id].sort());
        expect(many.blobKeys.sort()).toEqual([mine[1]!.blobKey, mine[2]!.blobKey].sort());
        expect(await store.resumes.get(stranger.user.id, theirs.id)).toEqual(theirs);
        expect(await store.resumes.count(user.id, { jobId: job.id })).toBe(0);
      });
    });

    describe('emails', () => {
      it('erasing a message removes its recipient, content, link and error, not its status', async () => {
        const { user, job } = await newTenantWithJob();
        const resume = makeResume(user.id, job.id, randomId('bat'));
        const queued = (
          await store.emails.createIfAbsent(
            makeEmail(user.id, resume, {
              to: 'ana.souza@example.com',
              unsubscribeUrl: 'https://x.test/v1/unsubscribe/WyJ1c3IiLCJhbmEi.sig',
            }),
          )
        ).message;
        const failed = (
          await store.emails.createIfAbsent(
            makeEmail(user.id, resume, {
              idempotencyKey: `${resume.id}:reject:1`,
              to: 'ana.souza@example.com',
              status: 'failed',
              attempts: 3,
              lastError: '550 5.1.1 <ana.souza@example.com>: mailbox unavailable',
            }),
          )
        ).message;
        expect(isErasedEmail(queued)).toBe(false);
        for (const email of [queued, failed]) await eraseEmail(store, email, at(9));

        const [a, b] = [
          await store.emails.get(user.id, queued.id),
          await store.emails.get(user.id, failed.id),
        ];
        for (const erased of [a!, b!]) {
          expect(erased).toMatchObject({ to: ERASED, subject: ERASED, text: '', html: null });
          expect(erased.unsubscribeUrl ?? null).toBeNull();
          expect(isErasedEmail(erased)).toBe(true);
          expect(JSON.stringify(erased)).not.toContain('ana.souza');
        }
        expect(a).toMatchObject({ status: 'cancelled', lastError: null });
        expect(b).toMatchObject({ status: 'failed', attempts: 3, lastError: ERASED });
      });

      it('creates one message per idempotency key, even when creates race', async () => {
        const { user, job } = await newTenantWithJob();
        const resume = makeResume(user.id, job.id, randomId('bat'));
        const attempts = Array.from({ length: 6 }, () => makeEmail(user.id, resume));
        const results = await Promise.all(attempts.map((m) => store.emails.createIfAbsent(m)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)!.message;
        for (const r of results) expect(r.message).toEqual(winner);
        expect(await store.emails.get(user.id, winner.id)).toEqual(winner);
        const reject = await store.emails.createIfAbsent(
          makeEmail(user.id, resume, { kind: 'reject', idempotencyKey: `${resume.id}:reject:1` }),
        );
        expect(reject.created).toBe(true);
      });

      it('creates many messages in one call, each key once, in input order', async () => {
        const { user, job } = await newTenantWithJob();
        const resumes = Array.from({ length: 4 }, () =>
          makeResume(user.id, job.id, randomId('bat')),
        );
        const first = await store.emails.createIfAbsent(makeEmail(user.id, resumes[0]!));
        const batch = [
          ...resumes.map((r) => makeEmail(user.id, r)),
          makeEmail(user.id, resumes[3]!),
        ];
        const results = await store.emails.createManyIfAbsent(batch);
        expect(results.map((r) => r.created)).toEqual([false, true, true, true, false]);
        expect(results[0]!.message).toEqual(first.message);
        expect(results[4]!.message).toEqual(results[3]!.message);
        for (const r of results.slice(1, 4)) {
          expect(await store.emails.get(user.id, r.message.id)).toEqual(r.message);
        }
        const again = await store.emails.createManyIfAbsent(
          resumes.map((r) => makeEmail(user.id, r)),
        );
        expect(again.map((r) => r.created)).toEqual([false, false, false, false]);
        expect(again.map((r) => r.message.id)).toEqual(
          results.slice(0, 4).map((r) => r.message.id),
        );
        expect((await store.emails.list(user.id, { jobId: job.id }, {})).items).toHaveLength(4);
        expect(await store.emails.createManyIfAbsent([])).toEqual([]);
      });

      it('guards a transition on attempts and the hand-off marker (fencing a stale run)', async () => {
        const { user, job } = await newTenantWithJob();
        const resume = makeResume(user.id, job.id, randomId('bat'));
        const { message } = await store.emails.createIfAbsent(makeEmail(user.id, resume));
        const claim = (attempts: number) =>
          store.emails.transition(
            user.id,
            message.id,
            ['queued', 'sending'],
            { status: 'sending', attempts: attempts + 1 },
            at(1),
            { attempts, handedOffAt: null },
          );
        expect(await claim(0)).toMatchObject({ status: 'sending', attempts: 1 });
        // A second run that read the message before the first claim is fenced off.
        expect(await claim(0)).toBeNull();
        const handOff = (attempts: number) =>
          store.emails.transition(user.id, message.id, ['sending'], { handedOffAt: at(2) }, at(2), {
            attempts,
            handedOffAt: null,
          });
        expect(await claim(1)).toMatchObject({ attempts: 2 });
        // The run holding attempt 1 may no longer hand the message over; the newest may.
        expect(await handOff(1)).toBeNull();
        expect(await handOff(2)).toMatchObject({ handedOffAt: at(2) });
        expect(await claim(2)).toBeNull();
        expect(
          await store.emails.transition(
            user.id,
            message.id,
            ['sending'],
            { status: 'sent', sentAt: at(3), handedOffAt: null },
            at(3),
            { attempts: 2, handedOffAt: at(2) },
          ),
        ).toMatchObject({ status: 'sent', handedOffAt: null });
      });

      it('transitions with compare-and-set and lists with filters across pages', async () => {
        const { user, job } = await newTenantWithJob();
        const resumes = [0, 1, 2, 3, 4].map(() => makeResume(user.id, job.id, randomId('bat')));
        const messages = [];
        for (const [i, r] of resumes.entries()) {
          const { message } = await store.emails.createIfAbsent(
            makeEmail(user.id, r, { createdAt: at(i), idempotencyKey: `${r.id}:invite:1` }),
          );
          messages.push(message);
        }
        const sending = await store.emails.transition(
          user.id,
          messages[0]!.id,
          ['queued'],
          { status: 'sending', attempts: 1 },
          at(10),
        );
        expect(sending).toMatchObject({ status: 'sending', attempts: 1 });
        expect(
          await store.emails.transition(
            user.id,
            messages[0]!.id,
            ['queued'],
            { status: 'sending' },
            at(11),
          ),
        ).toBeNull();
        const sent = await store.emails.update(
          user.id,
          messages[0]!.id,
          { status: 'sent', messageId: '<m1@shortlist>', sentAt: at(12) },
          at(12),
        );
        expect(sent).toMatchObject({ status: 'sent', messageId: '<m1@shortlist>', sentAt: at(12) });

        const all = await walk((p) => store.emails.list(user.id, { jobId: job.id }, p), 2);
        expect(all.items.map((m) => m.id)).toEqual([...messages].reverse().map((m) => m.id));
        const queued = await walk((p) => store.emails.list(user.id, { status: 'queued' }, p), 2);
        expect(queued.items).toHaveLength(4);
        const one = await store.emails.list(user.id, { resumeId: resumes[2]!.id }, {});
        expect(one.items.map((m) => m.id)).toEqual([messages[2]!.id]);
      });
    });

    describe('company profiles and opt-outs', () => {
      it('stores one company profile per tenant, replaced on put', async () => {
        const a = await store.users.create(makeUser());
        const b = await store.users.create(makeUser());
        expect(await store.companies.get(a.id)).toBeNull();
        const first = {
          userId: a.id,
          name: 'Acme',
          signature: 'Jane, Acme',
          replyTo: null,
          schedulingLink: 'https://cal.example.com/jane',
          updatedAt: at(1),
        };
        await store.companies.put(first);
        const second = { ...first, name: 'Acme Inc', replyTo: 'jobs@acme.test', updatedAt: at(2) };
        expect(await store.companies.put(second)).toEqual(second);
        expect(await store.companies.get(a.id)).toEqual(second);
        expect(await store.companies.get(b.id)).toBeNull();
      });

      it('keeps opt-outs per tenant, lower-cased, idempotent, paged newest first', async () => {
        const a = await store.users.create(makeUser());
        const b = await store.users.create(makeUser());
        const added = await store.optOuts.add({
          userId: a.id,
          address: 'Ana@Example.com',
          reason: 'asked by email',
          createdAt: at(1),
        });
        expect(added).toEqual({
          userId: a.id,
          address: 'ana@example.com',
          reason: 'asked by email',
          createdAt: at(1),
        });
        // Adding again keeps the original entry.
        expect(
          await store.optOuts.add({
            userId: a.id,
            address: 'ana@example.com',
            reason: null,
            createdAt: at(5),
          }),
        ).toEqual(added);
        for (const [i, address] of ['c@example.com', 'b@example.com', 'd@example.com'].entries()) {
          await store.optOuts.add({
            userId: a.id,
            address,
            reason: null,
            createdAt: at(i < 2 ? 3 : 4),
          });
        }
        const found = await store.optOuts.findMany(a.id, [
          'ANA@example.com',
          'b@example.com',
          'zed@example.com',
        ]);
        expect([...found].sort()).toEqual(['ana@example.com', 'b@example.com']);
        expect((await store.optOuts.findMany(b.id, ['ana@example.com'])).size).toBe(0);

        const listed = await walk((p) => store.optOuts.list(a.id, p), 2);
        expect(listed.items.map((o) => o.address)).toEqual([
          'd@example.com',
          'b@example.com',
          'c@example.com',
          'ana@example.com',
        ]);
        expect((await store.optOuts.list(b.id, {})).items).toEqual([]);
        expect(await store.optOuts.remove(b.id, 'ana@example.com')).toBe(false);
        expect(await store.optOuts.remove(a.id, 'ANA@example.com')).toBe(true);
        expect(await store.optOuts.remove(a.id, 'ana@example.com')).toBe(false);
      });
    });

    describe('audit trail', () => {
      const record = (userId: string, seconds: number, overrides: Partial<AuditRecord> = {}) =>
        ({
          id: randomId('aud'),
          userId,
          action: 'resume.erased',
          actor: { type: 'apikey', keyId: randomId('key') },
          targetId: null,
          subjectIds: [randomId('res')],
          counts: { resumes: 1, emails: 2, blobs: 2, orphanedBlobs: 0 },
          retentionDays: null,
          createdAt: at(seconds),
          ...overrides,
        }) satisfies AuditRecord;

      it('appends records per tenant and pages them newest first, exactly as written', async () => {
        const a = await store.users.create(makeUser());
        const b = await store.users.create(makeUser());
        const written = [
          record(a.id, 1),
          record(a.id, 3, {
            action: 'retention.swept',
            actor: { type: 'system', keyId: null },
            subjectIds: [],
            counts: { resumes: 0, emails: 4, blobs: 0, orphanedBlobs: 0 },
            retentionDays: 30,
          }),
          record(a.id, 2, { action: 'job.deleted', targetId: randomId('job') }),
          record(a.id, 2),
          record(a.id, 4, { actor: { type: 'firebase', keyId: null } }),
        ];
        for (const r of written) expect(await store.audit.append(r)).toEqual(r);
        await store.audit.append(record(b.id, 5));

        const listed = await walk((p) => store.audit.list(a.id, p), 2);
        expect(listed.pages).toBe(3);
        const expected = [...written].sort((x, y) =>
          x.createdAt === y.createdAt
            ? x.id.localeCompare(y.id)
            : y.createdAt.localeCompare(x.createdAt),
        );
        expect(listed.items).toEqual(expected);
        expect((await store.audit.list(b.id, {})).items).toHaveLength(1);

        const first = await store.audit.list(a.id, { limit: 1 });
        await expectInvalidCursor(store.audit.list(b.id, { cursor: first.nextCursor! }));
      });
    });

    describe('tenant isolation', () => {
      it("tenant B can never read, list, count, change or delete tenant A's data", async () => {
        const a = await newTenantWithJob();
        const b = await newTenantWithJob();
        const batch = await store.batches.create(makeBatch(a.user.id, a.job.id, 3));
        const resumes = makeResumeSet(a.user.id, a.job.id, batch.id, 3);
        await store.resumes.createMany(resumes);
        const email = (await store.emails.createIfAbsent(makeEmail(a.user.id, resumes[0]!)))
          .message;
        const A = a.user.id;
        const B = b.user.id;
        const r0 = resumes[0]!;

        // Reads by id.
        expect(await store.jobs.get(B, a.job.id)).toBeNull();
        expect(await store.batches.get(B, batch.id)).toBeNull();
        expect(await store.resumes.get(B, r0.id)).toBeNull();
        expect(await store.emails.get(B, email.id)).toBeNull();
        expect(await store.resumes.findBySha256(B, a.job.id, r0.sha256)).toBeNull();
        // Lists and counts, even when B names A's job and batch.
        expect((await store.jobs.list(B, {})).items.map((j) => j.id)).toEqual([b.job.id]);
        expect((await store.batches.list(B, { jobId: a.job.id }, {})).items).toEqual([]);
        expect((await store.resumes.list(B, { jobId: a.job.id }, 'score', {})).items).toEqual([]);
        expect(
          (await store.resumes.list(B, { batchId: batch.id }, 'uploadedAt', {})).items,
        ).toEqual([]);
        expect((await store.resumes.list(B, {}, 'score', {})).items).toEqual([]);
        expect(await store.resumes.count(B, { jobId: a.job.id })).toBe(0);
        expect((await store.resumes.stats(B, { jobId: a.job.id })).total).toBe(0);
        expect((await store.emails.list(B, { jobId: a.job.id }, {})).items).toEqual([]);
        // Writes.
        expect(await store.jobs.update(B, a.job.id, { title: 'mine now' }, true, at(9))).toBeNull();
        expect(
          await store.resumes.transition(
            B,
            r0.id,
            ['queued', 'done', 'failed'],
            { status: 'processing' },
            at(9),
          ),
        ).toBeNull();
        expect(await store.resumes.update(B, r0.id, { score: 1 }, at(9))).toBeNull();
        expect(
          await store.emails.transition(B, email.id, ['queued'], { status: 'cancelled' }, at(9)),
        ).toBeNull();
        expect(await store.emails.update(B, email.id, { subject: 'x' }, at(9))).toBeNull();
        // Deletes.
        expect(await store.resumes.delete(B, r0.id)).toBeNull();
        expect(
          await store.resumes.deleteMany(
            B,
            resumes.map((r) => r.id),
          ),
        ).toEqual({ deleted: [], blobKeys: [] });
        expect(await store.batches.delete(B, batch.id)).toBeNull();
        expect(await store.jobs.delete(B, a.job.id)).toBeNull();
        // A's data is exactly as it was.
        expect(await store.jobs.get(A, a.job.id)).toEqual(a.job);
        expect(await store.batches.get(A, batch.id)).toEqual(batch);
        for (const r of resumes) expect(await store.resumes.get(A, r.id)).toEqual(r);
        expect(await store.emails.get(A, email.id)).toEqual(email);
        expect(await store.resumes.count(A, { jobId: a.job.id })).toBe(3);
      });
    });
  });
}

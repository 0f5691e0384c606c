import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@shortlist/contracts';
import type {
  ApiKey,
  AuditRecord,
  Batch,
  BatchCounts,
  CompanyProfile,
  EmailMessage,
  EmailOptOut,
  EmailStatus,
  Job,
  Page,
  Resume,
  ResumeStatus,
  Tier,
  User,
} from '@shortlist/contracts';
import { cert, deleteApp, initializeApp, type App } from 'firebase-admin/app';
import {
  AggregateField,
  FieldPath,
  FieldValue,
  getFirestore,
  type CollectionReference,
  type DocumentData,
  type DocumentReference,
  type Firestore,
  type Query,
  type WriteBatch,
} from 'firebase-admin/firestore';
import { allFinal, canFinish, statusDelta } from '../counts';
import { CursorCodec, clampLimit, type SortValue } from '../cursor';
import {
  auditListFingerprint,
  batchListFingerprint,
  emailListFingerprint,
  jobListFingerprint,
  optOutListFingerprint,
  resumeListFingerprint,
} from '../list-fingerprints';
import type {
  EmailFilter,
  EmailGuard,
  EmailPatch,
  JobPatch,
  PageRequest,
  ResumeFilter,
  ResumePatch,
  ResumeSortKey,
  ResumeStats,
  Store,
  Transitioned,
} from '../types';
import {
  COUNTER_FIELDS,
  apiKeyToDoc,
  batchToDoc,
  definedOnly,
  docToApiKey,
  docToBatch,
  docToJob,
  docToResume,
  resumePatchToDoc,
  resumeToDoc,
} from './documents';

export interface FirestoreStoreOptions {
  projectId: string;
  /** Named database; `(default)` when absent. */
  databaseId?: string | undefined;
  /** `host:port` of an emulator: no credentials, plain-text gRPC. */
  emulatorHost?: string | undefined;
  /** Service-account JSON key file; absent means Application Default Credentials. */
  credentialsFile?: string | undefined;
  cursorSecret: string;
}

/** Firestore's per-commit write limit. */
export const MAX_BATCH_WRITES = 500;

/** How often a compare-and-set re-reads after losing a race before giving up. */
const MAX_CAS_ATTEMPTS = 50;

/** gRPC status codes the adapter reacts to. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** A sort key of a list: the field sorted descending and how its cursor value is read. */
interface SortField {
  field: string;
  value: (data: DocumentData) => SortValue;
}

const BY_CREATED: SortField[] = [{ field: 'createdAt', value: (d) => d.createdAt as string }];

/** Sorts of resume lists; the same orders as SQLite (`coalesce(score, -1)` is `scoreSort`). */
export const RESUME_SORT_FIELDS: Record<ResumeSortKey, SortField[]> = {
  score: [{ field: 'scoreSort', value: (d) => d.scoreSort as number }],
  uploadedAt: [
    { field: 'uploadedAt', value: (d) => d.uploadedAt as string },
    { field: 'scoreSort', value: (d) => d.scoreSort as number },
  ],
};

/** Equality filters of resume lists, as document fields. */
export const RESUME_EQUALITY_FIELDS = [
  'jobId',
  'batchId',
  'tier',
  'status',
  'hasWarnings',
] as const;

const STATUSES: ResumeStatus[] = ['queued', 'processing', 'done', 'failed', 'duplicate'];
const TIERS: Tier[] = ['shortlist', 'maybe', 'reject'];

/**
 * The store for scaled-out deployments, on Cloud Firestore through firebase-admin.
 *
 * Layout: `users/{userId}` and `apiKeys/{keyId}` at the top (keys are looked up by hash before the
 * tenant is known); every tenant record lives under its user, `users/{userId}/{jobs|batches|
 * resumes|emails|emailKeys}/{id}`, so a query cannot reach another tenant's documents at all.
 *
 * Concurrency without transactions: counters are `FieldValue.increment`; compare-and-set reads the
 * document and writes with a `lastUpdateTime` precondition, re-reading when another writer got
 * there first; idempotent email creation is a `create()` of a key document. These are server-side
 * checks, so they hold across processes on real Firestore and on the (patched) emulator alike.
 * Multi-document deletes (a job with its resumes) are batches of 500 and not one atomic unit: the
 * parent is deleted first, so its children are unreachable through the API even mid-way.
 */
export class FirestoreStore implements Store {
  readonly kind = 'firestore' as const;
  readonly db: Firestore;
  private readonly app: App;
  private readonly cursors: CursorCodec;

  constructor(options: FirestoreStoreOptions) {
    this.app = initializeApp(
      {
        projectId: options.projectId,
        ...(options.credentialsFile && !options.emulatorHost
          ? { credential: cert(options.credentialsFile) }
          : {}),
      },
      `shortlist-${randomBytes(6).toString('hex')}`,
    );
    this.db = options.databaseId
      ? getFirestore(this.app, options.databaseId)
      : getFirestore(this.app);
    this.db.settings({
      ignoreUndefinedProperties: true,
      ...(options.emulatorHost ? { host: options.emulatorHost, ssl: false } : {}),
    });
    this.cursors = new CursorCodec(options.cursorSecret);
  }

  async ping(): Promise<void> {
    await this.db.doc('users/_ping').get();
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
  }

  private tenant(userId: string, collection: string): CollectionReference {
    return this.db.collection('users').doc(userId).collection(collection);
  }

  /**
   * One page in `(sort... DESC, tieBreak ASC)` order after the cursor. The tie-break is the
   * document id unless a list is keyed by another unique field (as opt-outs are by address).
   */
  private async page<T>(
    query: Query,
    sort: SortField[],
    fingerprint: string,
    page: PageRequest,
    map: (data: DocumentData) => T,
    tieBreak?: string,
  ): Promise<Page<T>> {
    const limit = clampLimit(page.limit);
    let q = query;
    for (const s of sort) q = q.orderBy(s.field, 'desc');
    q = q.orderBy(tieBreak ?? FieldPath.documentId(), 'asc');
    if (page.cursor) {
      const position = this.cursors.decode(page.cursor, fingerprint, sort.length);
      q = q.startAfter(...position.values, position.id);
    }
    const docs = (await q.limit(limit + 1).get()).docs;
    const pageDocs = docs.slice(0, limit);
    const last = pageDocs.at(-1);
    const nextCursor =
      docs.length > limit && last
        ? this.cursors.encode(
            {
              values: sort.map((s) => s.value(last.data())),
              id: tieBreak ? String(last.get(tieBreak)) : last.id,
            },
            fingerprint,
          )
        : null;
    return { items: pageDocs.map((d) => map(d.data())), nextCursor };
  }

  /**
   * Compare-and-set: applies `change(data)` only while `allowed(data)` holds for the stored
   * version, which the write's `lastUpdateTime` precondition pins. Null when missing or refused.
   */
  private async compareAndSet(
    ref: DocumentReference,
    allowed: (data: DocumentData) => boolean,
    change: (data: DocumentData) => DocumentData,
  ): Promise<DocumentData | null> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const snapshot = await ref.get();
      const data = snapshot.data();
      if (!snapshot.exists || !data || !allowed(data)) return null;
      const update = change(data);
      try {
        await ref.update(update, { lastUpdateTime: snapshot.updateTime! });
        return { ...data, ...update };
      } catch (error) {
        const code = grpcCode(error);
        if (code === NOT_FOUND) return null;
        if (code !== FAILED_PRECONDITION) throw error;
      }
    }
    throw new AppError('conflict', 'The record kept changing while we tried to update it; retry.');
  }

  /** Plain update of an existing document; null when it does not exist. */
  private async updateExisting(
    ref: DocumentReference,
    update: DocumentData,
  ): Promise<DocumentData | null> {
    try {
      await ref.update(update);
    } catch (error) {
      if (grpcCode(error) === NOT_FOUND) return null;
      throw error;
    }
    return (await ref.get()).data() ?? null;
  }

  /**
   * Deletes every document `query` matches, 500 per commit; returns the `fields` of each (only
   * those are read, so a 10,000-resume job does not pull every analysis into memory).
   */
  private async deleteAll(query: Query, fields: string[] = []): Promise<DocumentData[]> {
    const removed: DocumentData[] = [];
    for (;;) {
      const snapshot = await query
        .select(...fields)
        .limit(MAX_BATCH_WRITES)
        .get();
      if (snapshot.empty) return removed;
      const batch = this.db.batch();
      for (const doc of snapshot.docs) {
        batch.delete(doc.ref);
        removed.push(doc.data());
      }
      await batch.commit();
    }
  }

  /** Deletes `ref` if it exists; false when it did not (or another caller deleted it first). */
  private async deleteIfExists(ref: DocumentReference): Promise<boolean> {
    try {
      await ref.delete({ exists: true });
      return true;
    } catch (error) {
      if (grpcCode(error) === NOT_FOUND) return false;
      throw error;
    }
  }

  /**
   * Commits the resume writes that `write` adds together with the counter increments of their
   * batches, as one atomic commit. A batch that no longer exists (a job being deleted) is left
   * out. False when a resume precondition failed: the caller re-reads and tries again.
   */
  private async commitWithCounts(
    write: (batch: WriteBatch) => void,
    counts: Map<string, { ref: DocumentReference; delta: Partial<BatchCounts> }>,
  ): Promise<boolean> {
    const present = [...counts.values()].filter((c) =>
      COUNTER_FIELDS.some((k) => (c.delta[k] ?? 0) !== 0),
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const batch = this.db.batch();
      write(batch);
      for (const { ref, delta } of present) {
        const increments: DocumentData = {};
        for (const k of COUNTER_FIELDS) {
          const d = delta[k] ?? 0;
          if (d !== 0) increments[k] = FieldValue.increment(d);
        }
        batch.update(ref, increments);
      }
      try {
        await batch.commit();
        return true;
      } catch (error) {
        const code = grpcCode(error);
        if (code === FAILED_PRECONDITION) return false;
        if (code !== NOT_FOUND) throw error;
        // A batch document is gone: commit the resume writes without its counters.
        const exists = await Promise.all(present.map(async (c) => (await c.ref.get()).exists));
        const kept = present.filter((_, i) => exists[i]);
        if (kept.length === present.length) return false;
        present.splice(0, present.length, ...kept);
      }
    }
    return false;
  }

  /** The batch after a counter change, stamped finished when the change made every resume final. */
  private async afterCounts(
    ref: DocumentReference,
    delta: Partial<BatchCounts>,
    at: string,
  ): Promise<{ batch: Batch | null; finished: boolean }> {
    if (canFinish(delta)) return this.finishIfFinal(ref, at);
    const data = (await ref.get()).data();
    return { batch: data ? docToBatch(data) : null, finished: false };
  }

  /** Sets `finishedAt` once, only while the stored counters are all final and it is still unset. */
  private async finishIfFinal(
    ref: DocumentReference,
    at: string,
  ): Promise<{ batch: Batch | null; finished: boolean }> {
    const stamped = await this.compareAndSet(
      ref,
      (d) => d.finishedAt === null && allFinal(docToBatch(d).counts),
      () => ({ finishedAt: at }),
    );
    if (stamped) return { batch: docToBatch(stamped), finished: true };
    const data = (await ref.get()).data();
    return { batch: data ? docToBatch(data) : null, finished: false };
  }

  /** Deletes a batch's or job's children and returns their resumes' blob keys. */
  private async deleteChildren(userId: string, field: 'jobId' | 'batchId', id: string) {
    const resumes = await this.deleteAll(this.tenant(userId, 'resumes').where(field, '==', id), [
      'blobKey',
    ]);
    if (field === 'jobId') {
      await this.deleteAll(this.tenant(userId, 'batches').where('jobId', '==', id));
      await this.deleteAll(this.tenant(userId, 'emails').where('jobId', '==', id));
      await this.deleteAll(this.tenant(userId, 'emailKeys').where('jobId', '==', id));
    }
    return { blobKeys: [...new Set(resumes.map((r) => r.blobKey as string))] };
  }

  users = {
    create: async (user: User): Promise<User> => {
      await this.db.collection('users').doc(user.id).create(user);
      return user;
    },
    get: async (userId: string): Promise<User | null> =>
      ((await this.db.collection('users').doc(userId).get()).data() as User | undefined) ?? null,
    findByFirebaseUid: async (uid: string): Promise<User | null> => {
      const found = await this.db
        .collection('users')
        .where('firebaseUid', '==', uid)
        .limit(1)
        .get();
      return (found.docs[0]?.data() as User | undefined) ?? null;
    },
    listIds: async (): Promise<string[]> => {
      // Ids only (no fields read); `_ping` is the readiness probe's document, not a user.
      const snapshot = await this.db.collection('users').select().get();
      return snapshot.docs
        .map((doc) => doc.id)
        .filter((id) => id !== '_ping')
        .sort();
    },
  };

  apiKeys = {
    create: async (key: ApiKey): Promise<ApiKey> => {
      await this.db.collection('apiKeys').doc(key.id).create(apiKeyToDoc(key));
      return key;
    },
    findActiveByHash: async (hash: string): Promise<ApiKey | null> => {
      const found = await this.db
        .collection('apiKeys')
        .where('hash', '==', hash)
        .where('active', '==', true)
        .limit(1)
        .get();
      const data = found.docs[0]?.data();
      return data ? docToApiKey(data) : null;
    },
    list: async (userId: string): Promise<ApiKey[]> => {
      const found = await this.db
        .collection('apiKeys')
        .where('userId', '==', userId)
        .orderBy('createdAt', 'asc')
        .orderBy(FieldPath.documentId(), 'asc')
        .get();
      return found.docs.map((d) => docToApiKey(d.data()));
    },
    revoke: async (userId: string, keyId: string, at: string): Promise<boolean> =>
      (await this.compareAndSet(
        this.db.collection('apiKeys').doc(keyId),
        (d) => d.userId === userId && d.revokedAt === null,
        () => ({ revokedAt: at, active: false }),
      )) !== null,
  };

  jobs = {
    create: async (job: Job): Promise<Job> => {
      await this.tenant(job.userId, 'jobs').doc(job.id).create(job);
      return job;
    },
    get: async (userId: string, jobId: string): Promise<Job | null> =>
      docToJob((await this.tenant(userId, 'jobs').doc(jobId).get()).data()),
    list: async (userId: string, page: PageRequest): Promise<Page<Job>> =>
      this.page(this.tenant(userId, 'jobs'), BY_CREATED, jobListFingerprint(userId), page, (d) =>
        docToJob(d)!,
      ),
    update: async (
      userId: string,
      jobId: string,
      patch: JobPatch,
      bumpVersion: boolean,
      at: string,
    ): Promise<Job | null> =>
      docToJob(
        (await this.updateExisting(this.tenant(userId, 'jobs').doc(jobId), {
          ...definedOnly(patch),
          updatedAt: at,
          ...(bumpVersion ? { version: FieldValue.increment(1) } : {}),
        })) ?? undefined,
      ),
    delete: async (userId: string, jobId: string) => {
      if (!(await this.deleteIfExists(this.tenant(userId, 'jobs').doc(jobId)))) return null;
      return this.deleteChildren(userId, 'jobId', jobId);
    },
  };

  batches = {
    create: async (batch: Batch): Promise<Batch> => {
      await this.tenant(batch.userId, 'batches').doc(batch.id).create(batchToDoc(batch));
      return batch;
    },
    get: async (userId: string, batchId: string): Promise<Batch | null> => {
      const ref = this.tenant(userId, 'batches').doc(batchId);
      const data = (await ref.get()).data();
      if (!data) return null;
      // A writer that died between its counter commit and the finish stamp leaves this to a reader.
      if (data.finishedAt === null && allFinal(docToBatch(data).counts)) {
        return (await this.finishIfFinal(ref, new Date().toISOString())).batch;
      }
      return docToBatch(data);
    },
    list: async (
      userId: string,
      filter: { jobId?: string | undefined },
      page: PageRequest,
    ): Promise<Page<Batch>> => {
      const base = this.tenant(userId, 'batches');
      return this.page(
        filter.jobId ? base.where('jobId', '==', filter.jobId) : base,
        BY_CREATED,
        batchListFingerprint(userId, filter.jobId),
        page,
        docToBatch,
      );
    },
    delete: async (userId: string, batchId: string) => {
      if (!(await this.deleteIfExists(this.tenant(userId, 'batches').doc(batchId)))) return null;
      return this.deleteChildren(userId, 'batchId', batchId);
    },
  };

  private resumeQuery(userId: string, filter: ResumeFilter): Query {
    let q: Query = this.tenant(userId, 'resumes');
    for (const field of RESUME_EQUALITY_FIELDS) {
      const value = filter[field];
      if (value !== undefined) q = q.where(field, '==', value);
    }
    // Scores are 0..100 and unscored is -1: `score >= x` (SQL, NULL excluded) is `scoreSort >= max(0, x)`.
    if (filter.minScore !== undefined) q = q.where('scoreSort', '>=', Math.max(0, filter.minScore));
    return q;
  }

  resumes = {
    createMany: async (resumes: Resume[]): Promise<void> => {
      for (let i = 0; i < resumes.length; i += MAX_BATCH_WRITES) {
        const batch = this.db.batch();
        for (const resume of resumes.slice(i, i + MAX_BATCH_WRITES)) {
          batch.create(this.tenant(resume.userId, 'resumes').doc(resume.id), resumeToDoc(resume));
        }
        await batch.commit();
      }
    },
    get: async (userId: string, resumeId: string): Promise<Resume | null> => {
      const data = (await this.tenant(userId, 'resumes').doc(resumeId).get()).data();
      return data ? docToResume(data) : null;
    },
    getJson: async (userId: string, resumeId: string): Promise<string | null> => {
      const resume = await this.resumes.get(userId, resumeId);
      return resume ? JSON.stringify(resume) : null;
    },
    findBySha256: async (userId: string, jobId: string, sha256: string): Promise<Resume | null> => {
      // Few documents share a hash, so the earliest non-duplicate is picked here rather than
      // through an extra composite index.
      const found = await this.tenant(userId, 'resumes')
        .where('jobId', '==', jobId)
        .where('sha256', '==', sha256)
        .get();
      const first = found.docs
        .map((d) => docToResume(d.data()))
        .filter((r) => r.status !== 'duplicate')
        .sort((a, b) =>
          a.uploadedAt !== b.uploadedAt
            ? a.uploadedAt < b.uploadedAt
              ? -1
              : 1
            : a.id < b.id
              ? -1
              : 1,
        )[0];
      return first ?? null;
    },
    list: async (
      userId: string,
      filter: ResumeFilter,
      sort: ResumeSortKey,
      page: PageRequest,
    ): Promise<Page<Resume>> =>
      this.page(
        this.resumeQuery(userId, filter),
        RESUME_SORT_FIELDS[sort],
        resumeListFingerprint(userId, filter, sort),
        page,
        docToResume,
      ),
    listJson: async (
      userId: string,
      filter: ResumeFilter,
      sort: ResumeSortKey,
      page: PageRequest,
    ): Promise<Page<string>> => {
      const { items, nextCursor } = await this.resumes.list(userId, filter, sort, page);
      return { items: items.map((r) => JSON.stringify(r)), nextCursor };
    },
    count: async (userId: string, filter: ResumeFilter): Promise<number> =>
      (await this.resumeQuery(userId, filter).count().get()).data().count,
    stats: async (userId: string, filter: ResumeFilter): Promise<ResumeStats> => {
      const base = this.resumeQuery(userId, filter);
      const count = async (q: Query) => (await q.count().get()).data().count;
      const byStatus = Promise.all(
        STATUSES.map((s) =>
          filter.status !== undefined && filter.status !== s
            ? 0
            : count(base.where('status', '==', s)),
        ),
      );
      const byTier = Promise.all(
        TIERS.map((t) =>
          filter.tier !== undefined && filter.tier !== t ? 0 : count(base.where('tier', '==', t)),
        ),
      );
      const histogram = Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const q = base.where('scoreSort', '>=', i * 10);
          return count(i < 9 ? q.where('scoreSort', '<', (i + 1) * 10) : q);
        }),
      );
      const totals = base
        .aggregate({
          total: AggregateField.count(),
          costUsd: AggregateField.sum('costUsd'),
          tokensIn: AggregateField.sum('tokensIn'),
          tokensOut: AggregateField.sum('tokensOut'),
        })
        .get();
      const [statuses, tiers, buckets, sums] = await Promise.all([
        byStatus,
        byTier,
        histogram,
        totals,
      ]);
      const t = sums.data();
      return {
        total: t.total,
        byStatus: Object.fromEntries(STATUSES.map((s, i) => [s, statuses[i]])) as Record<
          ResumeStatus,
          number
        >,
        byTier: Object.fromEntries(TIERS.map((tier, i) => [tier, tiers[i]])) as Record<
          Tier,
          number
        >,
        scoreHistogram: buckets,
        costUsd: Number(t.costUsd ?? 0),
        tokensIn: Number(t.tokensIn ?? 0),
        tokensOut: Number(t.tokensOut ?? 0),
      };
    },
    transition: async (
      userId: string,
      resumeId: string,
      from: ResumeStatus[],
      patch: ResumePatch,
      at: string,
    ): Promise<Transitioned | null> => {
      const ref = this.tenant(userId, 'resumes').doc(resumeId);
      for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
        const snapshot = await ref.get();
        const data = snapshot.data();
        if (!snapshot.exists || !data || !from.includes(data.status as ResumeStatus)) return null;
        const update = resumePatchToDoc(docToResume(data), patch, at);
        const after = { ...data, ...update };
        const batchRef = this.tenant(userId, 'batches').doc(data.batchId as string);
        const delta = statusDelta(data.status as ResumeStatus, after.status as ResumeStatus);
        const committed = await this.commitWithCounts(
          (batch) => batch.update(ref, update, { lastUpdateTime: snapshot.updateTime! }),
          new Map([[batchRef.path, { ref: batchRef, delta }]]),
        );
        if (!committed) continue;
        const moved = await this.afterCounts(batchRef, delta, at);
        return { resume: docToResume(after), batch: moved.batch, batchFinished: moved.finished };
      }
      throw new AppError(
        'conflict',
        'The record kept changing while we tried to update it; retry.',
      );
    },
    update: async (
      userId: string,
      resumeId: string,
      patch: Omit<ResumePatch, 'status'>,
      at: string,
    ): Promise<Resume | null> => {
      // Derived fields depend on the current record, so this is a compare-and-set too.
      const data = await this.compareAndSet(
        this.tenant(userId, 'resumes').doc(resumeId),
        () => true,
        (d) => resumePatchToDoc(docToResume(d), patch, at),
      );
      return data ? docToResume(data) : null;
    },
    replaceAnalysis: async (
      userId: string,
      resumeId: string,
      jobVersion: number,
      patch: Omit<ResumePatch, 'status' | 'jobVersion'>,
      at: string,
    ): Promise<Resume | null> => {
      const data = await this.compareAndSet(
        this.tenant(userId, 'resumes').doc(resumeId),
        (d) => d.status === 'done' && Number(d.jobVersion) < jobVersion,
        (d) => resumePatchToDoc(docToResume(d), { ...patch, jobVersion }, at),
      );
      return data ? docToResume(data) : null;
    },
    delete: async (userId: string, resumeId: string): Promise<{ blobKey: string } | null> => {
      const { blobKeys } = await this.resumes.deleteMany(userId, [resumeId]);
      return blobKeys.length > 0 ? { blobKey: blobKeys[0]! } : null;
    },
    deleteMany: async (userId: string, resumeIds: string[]) => {
      const deleted: string[] = [];
      const blobKeys: string[] = [];
      const at = new Date().toISOString();
      const refs = [...new Set(resumeIds)].map((id) => this.tenant(userId, 'resumes').doc(id));
      // Half a commit of resumes leaves room for their batches' counter writes.
      const chunk = MAX_BATCH_WRITES / 2;
      for (let i = 0; i < refs.length; i += chunk) {
        for (let attempt = 0; ; attempt++) {
          if (attempt === MAX_CAS_ATTEMPTS)
            throw new AppError(
              'conflict',
              'The resumes kept changing while we deleted them; retry.',
            );
          const snapshots = (await this.db.getAll(...refs.slice(i, i + chunk))).filter(
            (s) => s.exists,
          );
          const counts = new Map<string, { ref: DocumentReference; delta: Partial<BatchCounts> }>();
          for (const s of snapshots) {
            const batchRef = this.tenant(userId, 'batches').doc(s.get('batchId') as string);
            const entry = counts.get(batchRef.path) ?? { ref: batchRef, delta: {} };
            const status = s.get('status') as ResumeStatus;
            entry.delta.total = (entry.delta.total ?? 0) - 1;
            entry.delta[status] = (entry.delta[status] ?? 0) - 1;
            counts.set(batchRef.path, entry);
          }
          const committed = await this.commitWithCounts((batch) => {
            for (const s of snapshots) batch.delete(s.ref, { lastUpdateTime: s.updateTime! });
          }, counts);
          if (!committed) continue;
          for (const s of snapshots) {
            deleted.push(s.id);
            blobKeys.push(s.get('blobKey') as string);
          }
          for (const { ref, delta } of counts.values()) await this.afterCounts(ref, delta, at);
          break;
        }
      }
      return { deleted, blobKeys };
    },
  };

  emails = {
    createIfAbsent: async (
      m: EmailMessage,
    ): Promise<{ message: EmailMessage; created: boolean }> => {
      const keyRef = this.tenant(m.userId, 'emailKeys').doc(
        createHash('sha256').update(m.idempotencyKey).digest('hex'),
      );
      // The key document goes first: if it exists the commit fails before the message is written.
      const batch = this.db.batch();
      batch.create(keyRef, { emailId: m.id, jobId: m.jobId, idempotencyKey: m.idempotencyKey });
      batch.create(this.tenant(m.userId, 'emails').doc(m.id), m);
      try {
        await batch.commit();
        return { message: m, created: true };
      } catch (error) {
        if (grpcCode(error) !== ALREADY_EXISTS) throw error;
      }
      const emailId = (await keyRef.get()).get('emailId') as string;
      const existing = await this.emails.get(m.userId, emailId);
      if (!existing) throw new AppError('conflict', 'The email is being created; retry.');
      return { message: existing, created: false };
    },
    createManyIfAbsent: async (
      messages: EmailMessage[],
    ): Promise<{ message: EmailMessage; created: boolean }[]> => {
      const results: { message: EmailMessage; created: boolean }[] = [];
      // Two writes per new message (key + message), so half a batch of messages per commit.
      const chunk = Math.floor(MAX_BATCH_WRITES / 2);
      for (let i = 0; i < messages.length; i += chunk) {
        results.push(...(await this.createEmailChunk(messages.slice(i, i + chunk))));
      }
      return results;
    },
    get: async (userId: string, emailId: string): Promise<EmailMessage | null> =>
      ((await this.tenant(userId, 'emails').doc(emailId).get()).data() as
        EmailMessage | undefined) ?? null,
    list: async (
      userId: string,
      filter: EmailFilter,
      page: PageRequest,
    ): Promise<Page<EmailMessage>> => {
      let q: Query = this.tenant(userId, 'emails');
      if (filter.jobId) q = q.where('jobId', '==', filter.jobId);
      if (filter.resumeId) q = q.where('resumeId', '==', filter.resumeId);
      if (filter.status) q = q.where('status', '==', filter.status);
      return this.page(
        q,
        BY_CREATED,
        emailListFingerprint(userId, filter),
        page,
        (d) => d as EmailMessage,
      );
    },
    transition: async (
      userId: string,
      emailId: string,
      from: EmailStatus[],
      patch: EmailPatch,
      at: string,
      guard: EmailGuard = {},
    ): Promise<EmailMessage | null> =>
      (await this.compareAndSet(
        this.tenant(userId, 'emails').doc(emailId),
        (d) =>
          from.includes(d.status as EmailStatus) &&
          (guard.attempts === undefined || d.attempts === guard.attempts) &&
          (guard.handedOffAt === undefined || (d.handedOffAt ?? null) === guard.handedOffAt),
        () => ({ ...definedOnly(patch), updatedAt: at }),
      )) as EmailMessage | null,
    update: async (
      userId: string,
      emailId: string,
      patch: EmailPatch,
      at: string,
    ): Promise<EmailMessage | null> =>
      (await this.updateExisting(this.tenant(userId, 'emails').doc(emailId), {
        ...definedOnly(patch),
        updatedAt: at,
      })) as EmailMessage | null,
  };

  /**
   * One read of every key, one batch for the new messages. A key created by someone else in
   * between fails the whole batch; the chunk then falls back to one create at a time.
   */
  private async createEmailChunk(
    messages: EmailMessage[],
  ): Promise<{ message: EmailMessage; created: boolean }[]> {
    if (messages.length === 0) return [];
    const keyRef = (m: EmailMessage) =>
      this.tenant(m.userId, 'emailKeys').doc(
        createHash('sha256').update(m.idempotencyKey).digest('hex'),
      );
    const keys = await this.db.getAll(...messages.map(keyRef));
    const existingIds = keys.map((k) => (k.exists ? (k.get('emailId') as string) : null));
    const fresh = new Set<number>();
    const claimed = new Set<string>();
    const batch = this.db.batch();
    for (const [i, m] of messages.entries()) {
      // The same key twice in one call: only the first is created, the rest resolve to it.
      if (existingIds[i] || claimed.has(keyRef(m).path)) continue;
      claimed.add(keyRef(m).path);
      fresh.add(i);
      batch.create(keyRef(m), { emailId: m.id, jobId: m.jobId, idempotencyKey: m.idempotencyKey });
      batch.create(this.tenant(m.userId, 'emails').doc(m.id), m);
    }
    if (fresh.size > 0) {
      try {
        await batch.commit();
      } catch (error) {
        if (grpcCode(error) !== ALREADY_EXISTS) throw error;
        const one: { message: EmailMessage; created: boolean }[] = [];
        for (const m of messages) one.push(await this.emails.createIfAbsent(m));
        return one;
      }
    }
    const byKey = new Map<string, EmailMessage>();
    for (const i of fresh) byKey.set(keyRef(messages[i]!).path, messages[i]!);
    const olderRefs = messages.flatMap((m, i) =>
      existingIds[i] ? [this.tenant(m.userId, 'emails').doc(existingIds[i])] : [],
    );
    const older = olderRefs.length > 0 ? await this.db.getAll(...olderRefs) : [];
    const olderById = new Map(older.map((d) => [d.id, d.data() as EmailMessage | undefined]));
    return messages.map((m, i) => {
      if (fresh.has(i)) return { message: m, created: true };
      const existing = existingIds[i] ? olderById.get(existingIds[i]) : byKey.get(keyRef(m).path);
      if (!existing) throw new AppError('conflict', 'The email is being created; retry.');
      return { message: existing, created: false };
    });
  }

  companies = {
    get: async (userId: string): Promise<CompanyProfile | null> =>
      ((await this.tenant(userId, 'settings').doc('company').get()).data() as
        CompanyProfile | undefined) ?? null,
    put: async (profile: CompanyProfile): Promise<CompanyProfile> => {
      await this.tenant(profile.userId, 'settings').doc('company').set(profile);
      return profile;
    },
  };

  /** Opt-outs are keyed by a hash of the lower-cased address (ids cannot hold every address). */
  private optOutRef(userId: string, address: string): DocumentReference {
    return this.tenant(userId, 'optOuts').doc(
      createHash('sha256').update(address.toLowerCase()).digest('hex'),
    );
  }

  optOuts = {
    add: async (o: EmailOptOut): Promise<EmailOptOut> => {
      const optOut = { ...o, address: o.address.toLowerCase() };
      const ref = this.optOutRef(o.userId, optOut.address);
      try {
        await ref.create(optOut);
        return optOut;
      } catch (error) {
        if (grpcCode(error) !== ALREADY_EXISTS) throw error;
      }
      return (await ref.get()).data() as EmailOptOut;
    },
    remove: async (userId: string, address: string): Promise<boolean> =>
      this.deleteIfExists(this.optOutRef(userId, address)),
    findMany: async (userId: string, addresses: string[]): Promise<Set<string>> => {
      const found = new Set<string>();
      const lowered = [...new Set(addresses.map((a) => a.toLowerCase()))];
      for (let i = 0; i < lowered.length; i += MAX_BATCH_WRITES) {
        const refs = lowered.slice(i, i + MAX_BATCH_WRITES).map((a) => this.optOutRef(userId, a));
        if (refs.length === 0) continue;
        for (const snapshot of await this.db.getAll(...refs)) {
          if (snapshot.exists) found.add(snapshot.get('address') as string);
        }
      }
      return found;
    },
    list: async (userId: string, page: PageRequest): Promise<Page<EmailOptOut>> =>
      this.page(
        this.tenant(userId, 'optOuts'),
        BY_CREATED,
        optOutListFingerprint(userId),
        page,
        (d) => d as EmailOptOut,
        'address',
      ),
  };

  audit = {
    append: async (a: AuditRecord): Promise<AuditRecord> => {
      await this.tenant(a.userId, 'auditRecords').doc(a.id).create(a);
      return a;
    },
    list: async (userId: string, page: PageRequest): Promise<Page<AuditRecord>> =>
      this.page(
        this.tenant(userId, 'auditRecords'),
        BY_CREATED,
        auditListFingerprint(userId),
        page,
        (d) => d as AuditRecord,
      ),
  };
}

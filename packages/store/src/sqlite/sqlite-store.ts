import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
  User,
} from '@shortlist/contracts';
import { CursorCodec, clampLimit, type SortValue } from '../cursor';
import { COUNTER_KEYS, statusDelta } from '../counts';
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
  auditListFingerprint,
  batchListFingerprint,
  emailListFingerprint,
  optOutListFingerprint,
  jobListFingerprint,
  resumeListFingerprint,
} from '../list-fingerprints';
import { MIGRATIONS } from './migrations';
import {
  emailPatchColumns,
  fromResume,
  RESUME_JSON_COLUMNS,
  resumeJson,
  resumePatchColumns,
  toApiKey,
  toAudit,
  toBatch,
  toCompany,
  toEmail,
  toOptOut,
  toJob,
  toResume,
  toUser,
  type Row,
} from './rows';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for tests. */
  path: string;
  /** Secret that signs pagination cursors. */
  cursorSecret: string;
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

type Db = Database.Database;

/** Applies pending migrations; safe to call from several processes at once. */
export function migrate(db: Db): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let i = current; i < MIGRATIONS.length; i++) {
      db.exec(MIGRATIONS[i]!);
    }
    if (current < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

interface SortColumn {
  /** SQL expression, sorted descending. */
  expr: string;
  /** The expression's value for a row, as the cursor remembers it. */
  value: (row: Row) => SortValue;
}

interface KeysetQuery {
  table: string;
  where: string[];
  params: unknown[];
  /** Sorted descending in this order; ties finally break on `id` ascending. */
  sort: SortColumn[];
  fingerprint: string;
  page: PageRequest;
  /** The select list; every column by default. */
  columns?: string;
}

/**
 * Rows after the cursor position in `(sort[0] DESC, ..., id ASC)` order. The leading
 * `sort[0] <= ?` lets SQLite seek the index instead of scanning from the first row.
 */
function afterPosition(sort: SortColumn[], values: SortValue[], id: string) {
  const params: unknown[] = [];
  const build = (i: number): string => {
    if (i === sort.length) {
      params.push(id);
      return 'id > ?';
    }
    const expr = sort[i]!.expr;
    params.push(values[i], values[i]);
    return `(${expr} < ? OR (${expr} = ? AND ${build(i + 1)}))`;
  };
  const first = sort[0]!.expr;
  const rest = build(0);
  return { sql: `${first} <= ? AND ${rest}`, params: [values[0], ...params] };
}

const RESUME_SORTS: Record<ResumeSortKey, SortColumn[]> = {
  score: [{ expr: 'coalesce(score, -1)', value: (r) => (r.score === null ? -1 : Number(r.score)) }],
  uploadedAt: [
    { expr: 'uploaded_at', value: (r) => String(r.uploaded_at) },
    { expr: 'coalesce(score, -1)', value: (r) => (r.score === null ? -1 : Number(r.score)) },
  ],
};

const BY_CREATED: SortColumn[] = [{ expr: 'created_at', value: (r) => String(r.created_at) }];

/**
 * The embedded store: one SQLite file in WAL mode, shared by the gateway and workers on one
 * machine. Every statement is a single atomic SQL statement or a transaction, so concurrent
 * processes never lose an update; `busy_timeout` makes writers queue instead of failing.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly db: Db;
  private readonly cursors: CursorCodec;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly updates = new Map<string, Database.Statement>();
  private readonly immediate: (fn: () => unknown) => unknown;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.immediate = this.db.transaction((fn: () => unknown) => fn()).immediate;
    this.cursors = new CursorCodec(options.cursorSecret);
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.updates.clear();
    if (this.db.open) this.db.close();
  }

  /** Prepared statements are cached by their SQL text. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` in a write transaction that takes the lock up front (no upgrade deadlocks). One
   * wrapper made once: `db.transaction(fn)` builds four wrapper functions on every call.
   */
  private write<T>(fn: () => T): T {
    return this.immediate(fn) as T;
  }

  private keyset<T>(query: KeysetQuery, map: (row: Row) => T): Page<T> {
    const limit = clampLimit(query.page.limit);
    const where = [...query.where];
    const params = [...query.params];
    if (query.page.cursor) {
      const position = this.cursors.decode(query.page.cursor, query.fingerprint, query.sort.length);
      const after = afterPosition(query.sort, position.values, position.id);
      where.push(after.sql);
      params.push(...after.params);
    }
    const order = [...query.sort.map((c) => `${c.expr} DESC`), 'id ASC'].join(', ');
    const sql = `SELECT ${query.columns ?? '*'} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    const rows = this.stmt(sql).all(...params, limit + 1) as Row[];
    const pageRows = rows.slice(0, limit);
    const last = pageRows.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? this.cursors.encode(
            { values: query.sort.map((c) => c.value(last)), id: String(last.id) },
            query.fingerprint,
          )
        : null;
    return { items: pageRows.map(map), nextCursor };
  }

  /** `UPDATE table SET <columns> WHERE <where> RETURNING *`, prepared once per shape. */
  private updateRow(
    table: string,
    columns: Row,
    where: string,
    params: unknown[],
  ): Row | undefined {
    const names = Object.keys(columns);
    const shape = `${table}\u0000${where}\u0000${names.join(',')}`;
    let statement = this.updates.get(shape);
    if (!statement) {
      const sets = names.map((c) => `${c} = ?`).join(', ');
      statement = this.db.prepare(`UPDATE ${table} SET ${sets} WHERE ${where} RETURNING *`);
      this.updates.set(shape, statement);
    }
    const values: unknown[] = names.map((c) => columns[c]);
    for (const p of params) values.push(p);
    return statement.get(values) as Row | undefined;
  }

  /**
   * Adds `delta` to a batch's counters and sets `finishedAt` (once) when every resume is final.
   * Runs inside the caller's transaction, so the counters move with the resume write or not at all.
   */
  private moveCounts(
    userId: string,
    batchId: string,
    delta: Partial<BatchCounts>,
    at: string,
  ): { batch: Batch | null; finished: boolean } {
    const keys = COUNTER_KEYS.filter((k) => delta[k] !== undefined && delta[k] !== 0);
    if (keys.length === 0) {
      const row = this.stmt('SELECT * FROM batches WHERE user_id = ? AND id = ?').get(
        userId,
        batchId,
      ) as Row | undefined;
      return { batch: row ? toBatch(row) : null, finished: false };
    }
    const wasFinished = this.stmt(
      'SELECT finished_at IS NOT NULL AS f FROM batches WHERE user_id = ? AND id = ?',
    ).get(userId, batchId) as Row | undefined;
    if (!wasFinished) return { batch: null, finished: false };
    const sets = keys.map((k) => `${k} = ${k} + @${k}`);
    sets.push(
      `finished_at = CASE WHEN finished_at IS NULL AND done + failed + duplicate ${keys
        .filter((k) => k === 'done' || k === 'failed' || k === 'duplicate')
        .map((k) => `+ @${k}`)
        .join(
          ' ',
        )} >= total ${keys.includes('total') ? '+ @total' : ''} THEN @at ELSE finished_at END`,
    );
    const params: Row = { userId, batchId, at };
    for (const k of keys) params[k] = delta[k];
    const row = this.stmt(
      `UPDATE batches SET ${sets.join(', ')} WHERE user_id = @userId AND id = @batchId RETURNING *`,
    ).get(params) as Row;
    const batch = toBatch(row);
    return { batch, finished: !wasFinished.f && batch.finishedAt !== null };
  }

  users = {
    create: async (user: User): Promise<User> => {
      this.stmt(
        'INSERT INTO users (id, name, role, firebase_uid, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(user.id, user.name, user.role, user.firebaseUid, user.createdAt);
      return user;
    },
    get: async (userId: string): Promise<User | null> => {
      const row = this.stmt('SELECT * FROM users WHERE id = ?').get(userId) as Row | undefined;
      return row ? toUser(row) : null;
    },
    findByFirebaseUid: async (uid: string): Promise<User | null> => {
      const row = this.stmt('SELECT * FROM users WHERE firebase_uid = ?').get(uid) as
        Row | undefined;
      return row ? toUser(row) : null;
    },
    listIds: async (): Promise<string[]> =>
      (this.stmt('SELECT id FROM users ORDER BY id').all() as { id: string }[]).map((r) => r.id),
  };

  apiKeys = {
    create: async (key: ApiKey): Promise<ApiKey> => {
      this.stmt(
        'INSERT INTO api_keys (id, user_id, prefix, hash, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(key.id, key.userId, key.prefix, key.hash, key.label, key.createdAt, key.revokedAt);
      return key;
    },
    findActiveByHash: async (hash: string): Promise<ApiKey | null> => {
      const row = this.stmt('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(
        hash,
      ) as Row | undefined;
      return row ? toApiKey(row) : null;
    },
    list: async (userId: string): Promise<ApiKey[]> =>
      (
        this.stmt('SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at, id').all(
          userId,
        ) as Row[]
      ).map(toApiKey),
    revoke: async (userId: string, keyId: string, at: string): Promise<boolean> =>
      this.stmt(
        'UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL',
      ).run(at, userId, keyId).changes === 1,
  };

  jobs = {
    create: async (job: Job): Promise<Job> => {
      this.stmt(
        `INSERT INTO jobs (id, user_id, title, description, criteria, criteria_derived, criteria_reused_from, thresholds, blind, version, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        job.id,
        job.userId,
        job.title,
        job.description,
        JSON.stringify(job.criteria),
        job.criteriaDerived ? 1 : 0,
        job.criteriaReusedFrom ?? null,
        JSON.stringify(job.thresholds),
        job.blind ? 1 : 0,
        job.version,
        job.createdAt,
        job.updatedAt,
      );
      return job;
    },
    get: async (userId: string, jobId: string): Promise<Job | null> => {
      const row = this.stmt('SELECT * FROM jobs WHERE user_id = ? AND id = ?').get(
        userId,
        jobId,
      ) as Row | undefined;
      return row ? toJob(row) : null;
    },
    list: async (userId: string, page: PageRequest): Promise<Page<Job>> =>
      this.keyset(
        {
          table: 'jobs',
          where: ['user_id = ?'],
          params: [userId],
          sort: BY_CREATED,
          fingerprint: jobListFingerprint(userId),
          page,
        },
        toJob,
      ),
    update: async (
      userId: string,
      jobId: string,
      patch: JobPatch,
      bumpVersion: boolean,
      at: string,
    ) => {
      const columns: Row = { updated_at: at };
      if (patch.title !== undefined) columns.title = patch.title;
      if (patch.description !== undefined) columns.description = patch.description;
      if (patch.criteria !== undefined) columns.criteria = JSON.stringify(patch.criteria);
      if (patch.criteriaDerived !== undefined)
        columns.criteria_derived = patch.criteriaDerived ? 1 : 0;
      if (patch.criteriaReusedFrom !== undefined)
        columns.criteria_reused_from = patch.criteriaReusedFrom;
      if (patch.thresholds !== undefined) columns.thresholds = JSON.stringify(patch.thresholds);
      if (patch.blind !== undefined) columns.blind = patch.blind ? 1 : 0;
      const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
      if (bumpVersion) sets.push('version = version + 1');
      const row = this.stmt(
        `UPDATE jobs SET ${sets.join(', ')} WHERE user_id = @userId AND id = @jobId RETURNING *`,
      ).get({ ...columns, userId, jobId }) as Row | undefined;
      return row ? toJob(row) : null;
    },
    delete: async (userId: string, jobId: string) =>
      this.write(() => {
        const found = this.stmt('DELETE FROM jobs WHERE user_id = ? AND id = ?').run(userId, jobId);
        if (found.changes === 0) return null;
        const blobKeys = (
          this.stmt('SELECT blob_key FROM resumes WHERE user_id = ? AND job_id = ?').all(
            userId,
            jobId,
          ) as Row[]
        ).map((r) => String(r.blob_key));
        this.stmt('DELETE FROM resumes WHERE user_id = ? AND job_id = ?').run(userId, jobId);
        this.stmt('DELETE FROM batches WHERE user_id = ? AND job_id = ?').run(userId, jobId);
        this.stmt('DELETE FROM emails WHERE user_id = ? AND job_id = ?').run(userId, jobId);
        return { blobKeys: [...new Set(blobKeys)] };
      }),
  };

  batches = {
    create: async (batch: Batch): Promise<Batch> => {
      const c = batch.counts;
      this.stmt(
        `INSERT INTO batches (id, user_id, job_id, total, queued, processing, done, failed, duplicate, created_at, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        batch.id,
        batch.userId,
        batch.jobId,
        c.total,
        c.queued,
        c.processing,
        c.done,
        c.failed,
        c.duplicate,
        batch.createdAt,
        batch.finishedAt,
      );
      return batch;
    },
    get: async (userId: string, batchId: string): Promise<Batch | null> => {
      const row = this.stmt('SELECT * FROM batches WHERE user_id = ? AND id = ?').get(
        userId,
        batchId,
      ) as Row | undefined;
      return row ? toBatch(row) : null;
    },
    list: async (userId: string, filter: { jobId?: string | undefined }, page: PageRequest) =>
      this.keyset(
        {
          table: 'batches',
          where: filter.jobId ? ['user_id = ?', 'job_id = ?'] : ['user_id = ?'],
          params: filter.jobId ? [userId, filter.jobId] : [userId],
          sort: BY_CREATED,
          fingerprint: batchListFingerprint(userId, filter.jobId),
          page,
        },
        toBatch,
      ),
    delete: async (userId: string, batchId: string) =>
      this.write(() => {
        const found = this.stmt('DELETE FROM batches WHERE user_id = ? AND id = ?').run(
          userId,
          batchId,
        );
        if (found.changes === 0) return null;
        const rows = this.stmt(
          'DELETE FROM resumes WHERE user_id = ? AND batch_id = ? RETURNING blob_key',
        ).all(userId, batchId) as Row[];
        return { blobKeys: [...new Set(rows.map((r) => String(r.blob_key)))] };
      }),
  };

  private resumeWhere(
    userId: string,
    filter: ResumeFilter,
  ): { where: string[]; params: unknown[] } {
    const where = ['user_id = ?'];
    const params: unknown[] = [userId];
    if (filter.jobId) {
      where.push('job_id = ?');
      params.push(filter.jobId);
    }
    if (filter.batchId) {
      where.push('batch_id = ?');
      params.push(filter.batchId);
    }
    if (filter.tier) {
      where.push('tier = ?');
      params.push(filter.tier);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.minScore !== undefined) {
      where.push('score >= ?');
      params.push(filter.minScore);
    }
    if (filter.hasWarnings !== undefined) {
      where.push(filter.hasWarnings ? "warnings != '[]'" : "warnings = '[]'");
    }
    return { where, params };
  }

  resumes = {
    createMany: async (resumes: Resume[]): Promise<void> => {
      if (resumes.length === 0) return;
      const columns = Object.keys(fromResume(resumes[0]!));
      const insert = this.stmt(
        `INSERT INTO resumes (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      this.write(() => {
        for (const item of resumes) insert.run(fromResume(item));
      });
    },
    get: async (userId: string, resumeId: string): Promise<Resume | null> => {
      const row = this.stmt('SELECT * FROM resumes WHERE user_id = ? AND id = ?').get(
        userId,
        resumeId,
      ) as Row | undefined;
      return row ? toResume(row) : null;
    },
    findBySha256: async (userId: string, jobId: string, sha256: string): Promise<Resume | null> => {
      const row = this.stmt(
        `SELECT * FROM resumes WHERE user_id = ? AND job_id = ? AND sha256 = ? AND status != 'duplicate'
           ORDER BY uploaded_at, id LIMIT 1`,
      ).get(userId, jobId, sha256) as Row | undefined;
      return row ? toResume(row) : null;
    },
    getJson: async (userId: string, resumeId: string): Promise<string | null> => {
      const row = this.stmt(
        `SELECT ${RESUME_JSON_COLUMNS} FROM resumes WHERE user_id = ? AND id = ?`,
      ).get(userId, resumeId) as Row | undefined;
      return row ? resumeJson(row) : null;
    },
    list: async (userId: string, filter: ResumeFilter, sort: ResumeSortKey, page: PageRequest) =>
      this.resumePage(userId, filter, sort, page, '*', toResume),
    listJson: async (
      userId: string,
      filter: ResumeFilter,
      sort: ResumeSortKey,
      page: PageRequest,
    ) => this.resumePage(userId, filter, sort, page, RESUME_JSON_COLUMNS, resumeJson),
    count: async (userId: string, filter: ResumeFilter): Promise<number> => {
      const { where, params } = this.resumeWhere(userId, filter);
      const row = this.stmt(`SELECT count(*) AS n FROM resumes WHERE ${where.join(' AND ')}`).get(
        ...params,
      ) as Row;
      return Number(row.n);
    },
    stats: async (userId: string, filter: ResumeFilter): Promise<ResumeStats> => {
      const { where, params } = this.resumeWhere(userId, filter);
      const clause = where.join(' AND ');
      const stats: ResumeStats = {
        total: 0,
        byStatus: { queued: 0, processing: 0, done: 0, failed: 0, duplicate: 0 },
        byTier: { shortlist: 0, maybe: 0, reject: 0 },
        scoreHistogram: new Array<number>(10).fill(0),
        costUsd: 0,
        tokensIn: 0,
        tokensOut: 0,
      };
      for (const r of this.stmt(
        `SELECT status, count(*) AS n FROM resumes WHERE ${clause} GROUP BY status`,
      ).all(...params) as Row[]) {
        stats.byStatus[r.status as ResumeStatus] = Number(r.n);
        stats.total += Number(r.n);
      }
      for (const r of this.stmt(
        `SELECT tier, count(*) AS n FROM resumes WHERE ${clause} AND tier IS NOT NULL GROUP BY tier`,
      ).all(...params) as Row[]) {
        stats.byTier[r.tier as keyof ResumeStats['byTier']] = Number(r.n);
      }
      for (const r of this.stmt(
        `SELECT min(cast(score / 10 AS INTEGER), 9) AS bucket, count(*) AS n FROM resumes
           WHERE ${clause} AND score IS NOT NULL GROUP BY bucket`,
      ).all(...params) as Row[]) {
        stats.scoreHistogram[Number(r.bucket)] = Number(r.n);
      }
      const totals = this.stmt(
        `SELECT coalesce(sum(json_extract(analysis, '$.costUsd')), 0) AS cost,
                  coalesce(sum(json_extract(analysis, '$.tokensIn')), 0) AS tin,
                  coalesce(sum(json_extract(analysis, '$.tokensOut')), 0) AS tout
           FROM resumes WHERE ${clause} AND analysis IS NOT NULL`,
      ).get(...params) as Row;
      stats.costUsd = Number(totals.cost);
      stats.tokensIn = Number(totals.tin);
      stats.tokensOut = Number(totals.tout);
      return stats;
    },
    transition: async (
      userId: string,
      resumeId: string,
      from: ResumeStatus[],
      patch: ResumePatch,
      at: string,
    ): Promise<Transitioned | null> =>
      this.write(() => {
        const before = this.stmt(
          'SELECT status, batch_id FROM resumes WHERE user_id = ? AND id = ?',
        ).get(userId, resumeId) as Row | undefined;
        if (!before || !from.includes(before.status as ResumeStatus)) return null;
        const row = this.updateRow(
          'resumes',
          { ...resumePatchColumns(patch), updated_at: at },
          'user_id = ? AND id = ?',
          [userId, resumeId],
        )!;
        const resume = toResume(row);
        const { batch, finished } = this.moveCounts(
          userId,
          String(before.batch_id),
          statusDelta(before.status as ResumeStatus, resume.status),
          at,
        );
        return { resume, batch, batchFinished: finished };
      }),
    update: async (
      userId: string,
      resumeId: string,
      patch: Omit<ResumePatch, 'status'>,
      at: string,
    ) => {
      const row = this.updateRow(
        'resumes',
        { ...resumePatchColumns(patch), updated_at: at },
        'user_id = ? AND id = ?',
        [userId, resumeId],
      );
      return row ? toResume(row) : null;
    },
    replaceAnalysis: async (
      userId: string,
      resumeId: string,
      jobVersion: number,
      patch: Omit<ResumePatch, 'status' | 'jobVersion'>,
      at: string,
    ) => {
      const row = this.updateRow(
        'resumes',
        { ...resumePatchColumns({ ...patch, jobVersion }), updated_at: at },
        `user_id = ? AND id = ? AND status = 'done' AND job_version < ?`,
        [userId, resumeId, jobVersion],
      );
      return row ? toResume(row) : null;
    },
    delete: async (userId: string, resumeId: string) => {
      const { blobKeys } = await this.resumes.deleteMany(userId, [resumeId]);
      return blobKeys.length > 0 ? { blobKey: blobKeys[0]! } : null;
    },
    deleteMany: async (userId: string, resumeIds: string[]) =>
      this.write(() => {
        const remove = this.stmt(
          'DELETE FROM resumes WHERE user_id = ? AND id = ? RETURNING id, blob_key, batch_id, status',
        );
        const deleted: string[] = [];
        const blobKeys: string[] = [];
        const at = new Date().toISOString();
        for (const id of new Set(resumeIds)) {
          const row = remove.get(userId, id) as Row | undefined;
          if (!row) continue;
          deleted.push(String(row.id));
          blobKeys.push(String(row.blob_key));
          this.moveCounts(
            userId,
            String(row.batch_id),
            { total: -1, [row.status as ResumeStatus]: -1 },
            at,
          );
        }
        return { deleted, blobKeys };
      }),
  };

  private resumePage<T>(
    userId: string,
    filter: ResumeFilter,
    sort: ResumeSortKey,
    page: PageRequest,
    columns: string,
    map: (row: Row) => T,
  ): Page<T> {
    const { where, params } = this.resumeWhere(userId, filter);
    return this.keyset(
      {
        table: 'resumes',
        where,
        params,
        sort: RESUME_SORTS[sort],
        fingerprint: resumeListFingerprint(userId, filter, sort),
        page,
        columns,
      },
      map,
    );
  }

  /** Inserts one message unless its idempotency key exists; call inside a write transaction. */
  private insertEmailIfAbsent(m: EmailMessage): { message: EmailMessage; created: boolean } {
    const inserted = this.stmt(
      `INSERT INTO emails (id, user_id, resume_id, job_id, kind, priority, recipient, subject, text_body, html_body,
           status, attempts, last_error, message_id, idempotency_key, created_at, updated_at, sent_at,
           from_name, reply_to, handed_off_at, unsubscribe_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, idempotency_key) DO NOTHING`,
    ).run(
      m.id,
      m.userId,
      m.resumeId,
      m.jobId,
      m.kind,
      m.priority,
      m.to,
      m.subject,
      m.text,
      m.html,
      m.status,
      m.attempts,
      m.lastError,
      m.messageId,
      m.idempotencyKey,
      m.createdAt,
      m.updatedAt,
      m.sentAt,
      m.fromName ?? null,
      m.replyTo ?? null,
      m.handedOffAt ?? null,
      m.unsubscribeUrl ?? null,
    );
    const row = this.stmt('SELECT * FROM emails WHERE user_id = ? AND idempotency_key = ?').get(
      m.userId,
      m.idempotencyKey,
    ) as Row;
    return { message: toEmail(row), created: inserted.changes === 1 };
  }

  emails = {
    createIfAbsent: async (m: EmailMessage) => this.write(() => this.insertEmailIfAbsent(m)),
    createManyIfAbsent: async (messages: EmailMessage[]) =>
      this.write(() => messages.map((m) => this.insertEmailIfAbsent(m))),
    get: async (userId: string, emailId: string): Promise<EmailMessage | null> => {
      const row = this.stmt('SELECT * FROM emails WHERE user_id = ? AND id = ?').get(
        userId,
        emailId,
      ) as Row | undefined;
      return row ? toEmail(row) : null;
    },
    list: async (userId: string, filter: EmailFilter, page: PageRequest) => {
      const where = ['user_id = ?'];
      const params: unknown[] = [userId];
      if (filter.jobId) {
        where.push('job_id = ?');
        params.push(filter.jobId);
      }
      if (filter.resumeId) {
        where.push('resume_id = ?');
        params.push(filter.resumeId);
      }
      if (filter.status) {
        where.push('status = ?');
        params.push(filter.status);
      }
      return this.keyset(
        {
          table: 'emails',
          where,
          params,
          sort: BY_CREATED,
          fingerprint: emailListFingerprint(userId, filter),
          page,
        },
        toEmail,
      );
    },
    transition: async (
      userId: string,
      emailId: string,
      from: EmailStatus[],
      patch: EmailPatch,
      at: string,
      guard: EmailGuard = {},
    ) => {
      const where = ['user_id = ? AND id = ?', `status IN (${from.map(() => '?').join(', ')})`];
      const params: unknown[] = [userId, emailId, ...from];
      if (guard.attempts !== undefined) {
        where.push('attempts = ?');
        params.push(guard.attempts);
      }
      if (guard.handedOffAt !== undefined) {
        where.push('handed_off_at IS ?');
        params.push(guard.handedOffAt);
      }
      const row = this.updateRow(
        'emails',
        { ...emailPatchColumns(patch), updated_at: at },
        where.join(' AND '),
        params,
      );
      return row ? toEmail(row) : null;
    },
    update: async (userId: string, emailId: string, patch: EmailPatch, at: string) => {
      const row = this.updateRow(
        'emails',
        { ...emailPatchColumns(patch), updated_at: at },
        'user_id = ? AND id = ?',
        [userId, emailId],
      );
      return row ? toEmail(row) : null;
    },
  };

  companies = {
    get: async (userId: string): Promise<CompanyProfile | null> => {
      const row = this.db.prepare('SELECT * FROM companies WHERE user_id = ?').get(userId) as
        Row | undefined;
      return row ? toCompany(row) : null;
    },
    put: async (p: CompanyProfile): Promise<CompanyProfile> => {
      this.db
        .prepare(
          `INSERT INTO companies (user_id, name, signature, reply_to, scheduling_link, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, signature = excluded.signature,
             reply_to = excluded.reply_to, scheduling_link = excluded.scheduling_link,
             updated_at = excluded.updated_at`,
        )
        .run(p.userId, p.name, p.signature, p.replyTo, p.schedulingLink, p.updatedAt);
      return p;
    },
  };

  optOuts = {
    add: async (o: EmailOptOut): Promise<EmailOptOut> => {
      const address = o.address.toLowerCase();
      this.db
        .prepare(
          `INSERT INTO email_opt_outs (user_id, address, reason, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, address) DO NOTHING`,
        )
        .run(o.userId, address, o.reason, o.createdAt);
      const row = this.db
        .prepare('SELECT * FROM email_opt_outs WHERE user_id = ? AND address = ?')
        .get(o.userId, address) as Row;
      return toOptOut(row);
    },
    remove: async (userId: string, address: string): Promise<boolean> =>
      this.db
        .prepare('DELETE FROM email_opt_outs WHERE user_id = ? AND address = ?')
        .run(userId, address.toLowerCase()).changes === 1,
    findMany: async (userId: string, addresses: string[]): Promise<Set<string>> => {
      const found = new Set<string>();
      const lowered = [...new Set(addresses.map((a) => a.toLowerCase()))];
      for (let i = 0; i < lowered.length; i += 500) {
        const chunk = lowered.slice(i, i + 500);
        const rows = this.db
          .prepare(
            `SELECT address FROM email_opt_outs WHERE user_id = ? AND address IN (${chunk.map(() => '?').join(', ')})`,
          )
          .all(userId, ...chunk) as Row[];
        for (const row of rows) found.add(String(row.address));
      }
      return found;
    },
    list: async (userId: string, page: PageRequest): Promise<Page<EmailOptOut>> =>
      this.keyset(
        {
          // keyset() breaks ties on `id`; the address is this table's id.
          table: '(SELECT *, address AS id FROM email_opt_outs)',
          where: ['user_id = ?'],
          params: [userId],
          sort: BY_CREATED,
          fingerprint: optOutListFingerprint(userId),
          page,
        },
        toOptOut,
      ),
  };

  audit = {
    append: async (a: AuditRecord): Promise<AuditRecord> => {
      this.stmt(
        `INSERT INTO audit_records (id, user_id, action, actor_type, actor_key_id, target_id,
           subject_ids, counts, retention_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        a.id,
        a.userId,
        a.action,
        a.actor.type,
        a.actor.keyId,
        a.targetId,
        JSON.stringify(a.subjectIds),
        JSON.stringify(a.counts),
        a.retentionDays,
        a.createdAt,
      );
      return a;
    },
    list: async (userId: string, page: PageRequest): Promise<Page<AuditRecord>> =>
      this.keyset(
        {
          table: 'audit_records',
          where: ['user_id = ?'],
          params: [userId],
          sort: BY_CREATED,
          fingerprint: auditListFingerprint(userId),
          page,
        },
        toAudit,
      ),
  };
}

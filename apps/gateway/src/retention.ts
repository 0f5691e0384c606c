import { purgeOlderThan, type BlobDeleter, type Store } from '@shortlist/store';
import type { Logger } from '@shortlist/observability';
import type { Producer, Redis } from '@shortlist/queue';
import { recordAudit } from './audit';
import { forgetEmailCopies } from './email-copies';
import type { ResumeCacheEraser } from './deps';

/** How long each tenant's resumes and emails are kept. */
export interface RetentionPolicy {
  /** Days kept for tenants without their own entry; 0 keeps data until erased by hand. */
  defaultDays: number;
  /** Per-tenant days by user id (0 = keep). */
  byTenant: Record<string, number>;
}

/** `usr_a=30,usr_b=0` as a per-tenant map; throws naming the bad entry. */
export function parseRetentionByTenant(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+)=(\d{1,5})$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not userId=days`);
    out[match[1]!] = Number(match[2]);
  }
  return out;
}

/**
 * Erases each tenant's resumes (rows, files, cached analyses) and email content (rows and the
 * outbox copies, through the email worker) older than its retention period; batches left without
 * any resume are deleted. Any gateway replica may run it: a Redis lock lets one sweep per interval happen.
 * Each tenant's sweep that erased something stores an audit record (ids and counts) and logs
 * counts and the tenant id only.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      blobs: BlobDeleter;
      redis: Redis;
      prefix: string;
      logger: Logger;
      policy: RetentionPolicy;
      /** Drops cached analyses and near-duplicate signatures of the jobs swept (null: none kept). */
      cacheEraser: ResumeCacheEraser | null;
      /** Where the deletion of erased emails' transport copies (outbox files) is queued. */
      emailQueue: Producer<'email-delivery'>;
    },
  ) {}

  /** Days kept for `userId` under the policy (0 = keep). */
  daysFor(userId: string): number {
    return this.deps.policy.byTenant[userId] ?? this.deps.policy.defaultDays;
  }

  /** One sweep over every tenant, now; returns totals. */
  async sweepOnce(now = new Date()) {
    const totals = {
      tenants: 0,
      resumesDeleted: 0,
      batchesDeleted: 0,
      emailsErased: 0,
      orphanedBlobs: 0,
    };
    for (const userId of await this.deps.store.users.listIds()) {
      const days = this.daysFor(userId);
      if (days <= 0) continue;
      const before = new Date(now.getTime() - days * 86_400_000).toISOString();
      const result = await purgeOlderThan(this.deps.store, this.deps.blobs, userId, before);
      totals.tenants++;
      totals.resumesDeleted += result.resumesDeleted;
      totals.batchesDeleted += result.batchesDeleted.length;
      totals.emailsErased += result.emailsErased;
      totals.orphanedBlobs += result.orphanedBlobKeys.length;
      if (result.resumesDeleted + result.emailsErased === 0) continue;
      for (const jobId of result.jobIds) await this.deps.cacheEraser?.eraseJob(jobId);
      await forgetEmailCopies(this.deps.emailQueue, result.emailCopies).catch((error: unknown) =>
        this.deps.logger.error('could not queue the deletion of erased email copies', {
          error,
          userId,
          emailIds: result.emailCopies.map((c) => c.emailId),
        }),
      );
      const audit = await recordAudit(this.deps.store, {
        userId,
        action: 'retention.swept',
        principal: null,
        subjectIds: result.deleted,
        counts: {
          resumes: result.resumesDeleted,
          emails: result.emailsErased,
          blobs: result.blobsDeleted,
          orphanedBlobs: result.orphanedBlobKeys.length,
        },
        retentionDays: days,
        at: now.toISOString(),
      });
      this.deps.logger.info('retention erased', {
        audit: true,
        auditId: audit.id,
        userId,
        days,
        resumesDeleted: result.resumesDeleted,
        batchesDeleted: result.batchesDeleted,
        emailsErased: result.emailsErased,
        blobsDeleted: result.blobsDeleted,
        orphanedBlobKeys: result.orphanedBlobKeys,
      });
    }
    return totals;
  }

  /** Sweeps every `intervalMs` on whichever replica takes the lock first. */
  start(intervalMs: number): void {
    const tick = async () => {
      const lock = `${this.deps.prefix}:retention:lock`;
      const taken = await this.deps.redis
        .set(lock, String(process.pid), 'PX', Math.max(1_000, intervalMs - 1_000), 'NX')
        .catch(() => null);
      if (taken !== 'OK') return;
      const totals = await this.sweepOnce();
      this.deps.logger.info('retention sweep done', totals);
    };
    const run = () => {
      this.running ??= tick()
        .catch((error: unknown) => this.deps.logger.error('retention sweep failed', { error }))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

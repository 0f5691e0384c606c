import { ApiError } from '../api/client';
import type { Page } from '../api/types';
import { mergeRefresh } from './merge-rows';
import { HEAD_ROWS, SPACING_PER_PAGE_MS, fullReadEvery, refreshRows } from './read-pacing';

export interface ListView<T> {
  rows: T[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: Error | null;
}

/** Reads one page of the list after `cursor` (null: from the top). */
export type ReadPage<T> = (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>;

/** How soon a list that missed rows while they moved is read again when no new results arrive. */
const READ_AGAIN_MS = 1_500;
/** A read that failed for a passing reason (server away, read budget spent) is tried again. */
const RETRY_MS = 5_000;

function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 429) return Math.max(RETRY_MS, (error.retryAfterSeconds ?? 0) * 1_000);
  return error.status === 0 || error.status >= 500 ? RETRY_MS : null;
}

type ReadKind = 'head' | 'full';

/**
 * The rows of a ranked list the user has loaded, kept equal to what the API lists while results
 * arrive. Pages load as the user scrolls (`loadMore`). New results (`changed`) re-read the leading
 * rows at once and every loaded row now and then (`fullReadEvery`); a finished batch (`settled`)
 * re-reads every loaded row at once, so the list ends exactly as the API has it. A resume scored
 * while the user has scrolled far down can land anywhere among the loaded rows, which only a read
 * of all of them finds. Reads go one at a time and are paced (`SPACING_PER_PAGE_MS` per page) to
 * stay inside the API's read budget.
 */
export class ListReader<T extends { id: string }> {
  private rows: T[] = [];
  private cursor: string | null = null;
  private loading = true;
  private loadingMore = false;
  private error: Error | null = null;
  private busy = false;
  private wanted: ReadKind | null = null;
  private lastKind: ReadKind = 'full';
  private carried = new Set<string>();
  private readAgain = false;
  private notBefore = 0;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private paceTimer: ReturnType<typeof setTimeout> | undefined;
  private fullTimer: ReturnType<typeof setTimeout> | undefined;
  private againTimer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | null = null;
  private stopped = false;

  constructor(
    private readonly readPage: ReadPage<T>,
    private readonly onChange: (view: ListView<T>) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the first page. */
  start(): void {
    this.read('full');
  }

  /** New results arrived somewhere in the list. */
  changed(): void {
    if (this.rows.length <= HEAD_ROWS || this.fullDue()) return this.read('full');
    this.read('head');
    if (this.fullTimer === undefined)
      this.fullTimer = setTimeout(
        () => {
          this.fullTimer = undefined;
          this.read('full');
        },
        Math.max(0, this.lastFullAt + fullReadEvery(this.rows.length) - this.now()),
      );
  }

  /** A batch finished: nothing moves any more, so one read of every loaded row is final. */
  settled(): void {
    this.read('full');
  }

  /** Loads the next page (the user scrolled near the end). */
  loadMore(): void {
    if (this.stopped || this.cursor === null || this.busy) return;
    this.busy = true;
    this.loadingMore = true;
    this.emit();
    const controller = new AbortController();
    this.controller = controller;
    this.readPage(this.cursor, controller.signal)
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          const seen = new Set(this.rows.map((r) => r.id));
          this.rows = [...this.rows, ...page.items.filter((r) => !seen.has(r.id))];
          this.cursor = page.nextCursor;
        },
        (caught: unknown) => {
          if (!controller.signal.aborted) this.error = caught as Error;
        },
      )
      .finally(() => {
        if (controller.signal.aborted) return;
        this.busy = false;
        this.loadingMore = false;
        this.emit();
        this.pump();
      });
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    for (const timer of [this.paceTimer, this.fullTimer, this.againTimer]) clearTimeout(timer);
  }

  private fullDue(): boolean {
    return this.now() - this.lastFullAt >= fullReadEvery(this.rows.length);
  }

  private read(kind: ReadKind): void {
    if (this.stopped) return;
    if (kind === 'full' || this.wanted === null) this.wanted = kind;
    this.pump();
  }

  /** Starts the wanted read when none is running and the pacing allows. */
  private pump(): void {
    if (this.stopped || this.busy || this.wanted === null) return;
    const wait = this.notBefore - this.now();
    if (wait > 0) {
      this.paceTimer ??= setTimeout(() => {
        this.paceTimer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const count = refreshRows(this.rows.length, this.wanted === 'full');
    const kind: ReadKind = count >= this.rows.length ? 'full' : 'head';
    this.wanted = null;
    this.lastKind = kind;
    clearTimeout(this.againTimer);
    this.againTimer = undefined;
    if (kind === 'full') {
      this.lastFullAt = this.now();
      clearTimeout(this.fullTimer);
      this.fullTimer = undefined;
    }
    this.busy = true;
    const controller = new AbortController();
    this.controller = controller;
    const startedAt = this.now();
    const progress = { pages: 0 };
    let retryIn: number | null = null;
    this.readLeading(count, controller.signal, progress)
      .then(
        (read) => {
          if (controller.signal.aborted) return;
          this.apply(read.rows, read.next, progress.pages);
          this.error = null;
        },
        (caught: unknown) => {
          if (controller.signal.aborted) return;
          this.error = caught as Error;
          retryIn = retryAfterMs(caught);
        },
      )
      .finally(() => {
        if (controller.signal.aborted) return;
        this.busy = false;
        this.loading = false;
        this.notBefore = startedAt + Math.max(1, progress.pages) * SPACING_PER_PAGE_MS;
        this.emit();
        if (this.wanted !== null) this.pump();
        else if (retryIn !== null) this.againTimer = setTimeout(() => this.read(kind), retryIn);
        else if (this.readAgain)
          this.againTimer = setTimeout(() => this.read(this.lastKind), READ_AGAIN_MS);
      });
  }

  private async readLeading(
    count: number,
    signal: AbortSignal,
    progress: { pages: number },
  ): Promise<{ rows: T[]; next: string | null }> {
    const rows: T[] = [];
    let next: string | null = null;
    do {
      const page = await this.readPage(next, signal);
      rows.push(...page.items);
      next = page.nextCursor;
      progress.pages += 1;
    } while (next !== null && rows.length < count);
    return { rows, next };
  }

  private apply(read: T[], next: string | null, pages: number): void {
    // A read that stopped short of the end while more rows were loaded keeps them and their cursor;
    // one that covered every loaded row (or reached the end) is the list from the top.
    const keepLoaded = next !== null && this.rows.length > read.length;
    const merged = mergeRefresh(this.rows, read, {
      pages,
      reachedEnd: next === null,
      carried: this.carried,
    });
    this.rows = merged.rows;
    this.carried = merged.carried;
    this.readAgain = merged.readAgain;
    if (!keepLoaded) this.cursor = next;
  }

  private emit(): void {
    this.onChange({
      rows: this.rows,
      hasMore: this.cursor !== null,
      loading: this.loading,
      loadingMore: this.loadingMore,
      error: this.error,
    });
  }
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShortlistApi } from '../api/api';
import type { Resume, ResumeQuery, ResumeSortKey, Tier } from '../api/types';
import { mergeRefresh } from './merge-rows';

export interface ShortlistFilters {
  sort: ResumeSortKey;
  tier: Tier | '';
  status: string;
  minScore: number | '';
}

export interface ShortlistData {
  rows: Resume[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: Error | null;
  loadMore(): void;
  retry(): void;
}

const PAGE = 200;
/** Live refreshes re-read at most this many leading rows; rows further down refresh on scroll. */
const REFRESH_CAP = 1_000;
/** How soon a list that missed rows while they moved is read again when no new results arrive. */
const READ_AGAIN_MS = 1_500;

/**
 * The ranked list of a job: pages of 200 loaded as the user scrolls, and the leading rows re-read
 * whenever `tick` moves (new results arrived), so the ranking stays right while a batch runs.
 */
export function useShortlist(
  api: ShortlistApi,
  jobId: string,
  filters: ShortlistFilters,
  tick: number,
): ShortlistData {
  const [rows, setRows] = useState<Resume[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [generation, setGeneration] = useState(0);

  const state = useRef({
    rows,
    cursor,
    busy: false,
    again: false,
    carried: new Set<string>(),
    readAgain: false,
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
    controller: null as AbortController | null,
  });
  useEffect(() => {
    state.current.rows = rows;
    state.current.cursor = cursor;
  }, [rows, cursor]);

  const query = useCallback(
    (extra: Partial<ResumeQuery>): ResumeQuery => ({
      sort: filters.sort,
      ...(filters.tier ? { tier: filters.tier } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.minScore !== '' ? { minScore: filters.minScore } : {}),
      limit: PAGE,
      ...extra,
    }),
    [filters.sort, filters.tier, filters.status, filters.minScore],
  );

  /** Reads the first `count` rows afresh; keeps rows beyond them (deduplicated). */
  const refresh = useCallback(
    async (count: number, signal: AbortSignal) => {
      const head: Resume[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const page = await api.listResumes(jobId, query(next ? { cursor: next } : {}), signal);
        head.push(...page.items);
        next = page.nextCursor;
        pages += 1;
      } while (next && head.length < count);
      if (signal.aborted) return;
      const s = state.current;
      // The head stopped short of the end and more rows were loaded: keep them (and the cursor).
      // A head that reached the end is the whole list.
      const keepLoaded = next !== null && s.rows.length > head.length;
      const merged = mergeRefresh(s.rows, head, {
        pages,
        reachedEnd: next === null,
        carried: s.carried,
      });
      s.rows = merged.rows;
      s.carried = merged.carried;
      s.readAgain = merged.readAgain;
      if (!keepLoaded) {
        s.cursor = next;
        setCursor(next);
      }
      setRows(s.rows);
    },
    [api, jobId, query],
  );

  const run = useCallback(
    (count: number, initial: boolean) => {
      const s = state.current;
      if (s.busy && !initial) {
        s.again = true;
        return;
      }
      s.controller?.abort();
      clearTimeout(s.timer);
      const controller = new AbortController();
      s.controller = controller;
      s.busy = true;
      s.again = false;
      refresh(count, controller.signal)
        .then(() => {
          if (!controller.signal.aborted) setError(null);
        })
        .catch((caught: unknown) => {
          if (!controller.signal.aborted) setError(caught as Error);
        })
        .finally(() => {
          if (controller.signal.aborted) return;
          s.busy = false;
          setLoading(false);
          if (s.again) run(Math.min(Math.max(s.rows.length, PAGE), REFRESH_CAP), false);
          // Results keep ticking while rows move, so this only matters once they stop.
          else if (s.readAgain)
            s.timer = setTimeout(
              () => run(Math.min(Math.max(s.rows.length, PAGE), REFRESH_CAP), false),
              READ_AGAIN_MS,
            );
        });
    },
    [refresh],
  );

  // New filters: start from the top.
  useEffect(() => {
    setLoading(true);
    setRows([]);
    setCursor(null);
    state.current.rows = [];
    state.current.cursor = null;
    state.current.carried = new Set();
    run(PAGE, true);
    const s = state.current;
    return () => {
      s.controller?.abort();
      clearTimeout(s.timer);
      s.busy = false;
    };
  }, [run, generation]);

  // New results: re-read the leading rows.
  useEffect(() => {
    if (tick === 0) return;
    run(Math.min(Math.max(state.current.rows.length, PAGE), REFRESH_CAP), false);
  }, [tick, run]);

  const loadMore = useCallback(() => {
    const s = state.current;
    if (!s.cursor || s.busy) return;
    s.busy = true;
    setLoadingMore(true);
    const controller = new AbortController();
    s.controller = controller;
    api
      .listResumes(jobId, query({ cursor: s.cursor }), controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return;
        const seen = new Set(s.rows.map((r) => r.id));
        // Kept in the ref at once: a refresh queued meanwhile must re-read all of these rows.
        s.rows = [...s.rows, ...page.items.filter((r) => !seen.has(r.id))];
        s.cursor = page.nextCursor;
        setRows(s.rows);
        setCursor(page.nextCursor);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught as Error);
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        s.busy = false;
        setLoadingMore(false);
        if (s.again) run(Math.min(Math.max(s.rows.length, PAGE), REFRESH_CAP), false);
      });
  }, [api, jobId, query, run]);

  return {
    rows,
    hasMore: cursor !== null,
    loading,
    loadingMore,
    error,
    loadMore,
    retry: () => setGeneration((g) => g + 1),
  };
}

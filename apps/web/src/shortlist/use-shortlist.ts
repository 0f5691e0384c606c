import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShortlistApi } from '../api/api';
import type { Resume, ResumeSortKey, Tier } from '../api/types';
import { ListReader, type ListView } from './list-reader';
import { PAGE } from './read-pacing';

export interface ShortlistFilters {
  sort: ResumeSortKey;
  tier: Tier | '';
  status: string;
  minScore: number | '';
}

export interface ShortlistData extends ListView<Resume> {
  loadMore(): void;
  retry(): void;
}

const STARTING: ListView<Resume> = {
  rows: [],
  hasMore: false,
  loading: true,
  loadingMore: false,
  error: null,
};

/**
 * The ranked list of a job: pages of 200 loaded as the user scrolls, kept equal to the API's list
 * while a batch runs (see {@link ListReader}). `tick` moves when new results arrive, `settled`
 * when a batch finishes.
 */
export function useShortlist(
  api: ShortlistApi,
  jobId: string,
  filters: ShortlistFilters,
  tick: number,
  settled: number,
): ShortlistData {
  const [view, setView] = useState<ListView<Resume>>(STARTING);
  const [generation, setGeneration] = useState(0);
  const reader = useRef<ListReader<Resume> | null>(null);
  const seen = useRef({ tick, settled });
  const { sort, tier, status, minScore } = filters;

  // New filters: start from the top.
  useEffect(() => {
    const query = {
      sort,
      ...(tier ? { tier } : {}),
      ...(status ? { status } : {}),
      ...(minScore !== '' ? { minScore } : {}),
      limit: PAGE,
    };
    const current = new ListReader<Resume>(
      (cursor, signal) => api.listResumes(jobId, cursor ? { ...query, cursor } : query, signal),
      setView,
    );
    reader.current = current;
    setView(STARTING);
    current.start();
    return () => current.stop();
  }, [api, jobId, sort, tier, status, minScore, generation]);

  useEffect(() => {
    if (seen.current.tick === tick) return;
    seen.current.tick = tick;
    reader.current?.changed();
  }, [tick]);

  useEffect(() => {
    if (seen.current.settled === settled) return;
    seen.current.settled = settled;
    reader.current?.settled();
  }, [settled]);

  const loadMore = useCallback(() => reader.current?.loadMore(), []);
  const retry = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...view, loadMore, retry };
}

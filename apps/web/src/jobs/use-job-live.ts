import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShortlistApi } from '../api/api';
import { watchBatch } from '../api/events';
import type { Batch } from '../api/types';

export type LiveMode = 'idle' | 'live' | 'polling' | 'reconnecting';

export interface JobLive {
  batches: Batch[];
  /** Bumps (at most a few times a second) whenever results change; lists refetch on it. */
  tick: number;
  /** Bumps when a followed batch finishes: its results stop moving, so lists read all they show. */
  settled: number;
  mode: LiveMode;
  /** Starts following a batch the user just uploaded. */
  addBatch(batch: Batch): void;
  error: Error | null;
}

const FLUSH_MS = 400;
const COUNTS_MS = 1_000;

/** Follows every unfinished batch of a job (SSE where available, else polling). */
export function useJobLive(api: ShortlistApi, jobId: string, useEvents: boolean): JobLive {
  const [batches, setBatches] = useState<Batch[]>([]);
  const [tick, setTick] = useState(0);
  const [settled, setSettled] = useState(0);
  const [mode, setMode] = useState<LiveMode>('idle');
  const [error, setError] = useState<Error | null>(null);
  const watchers = useRef(new Map<string, () => void>());
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const countTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const bump = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      setTick((t) => t + 1);
    }, FLUSH_MS);
  }, []);

  const upsert = useCallback((batch: Batch) => {
    setBatches((list) => {
      const index = list.findIndex((b) => b.id === batch.id);
      if (index < 0) return [batch, ...list];
      const next = list.slice();
      next[index] = batch;
      return next;
    });
  }, []);

  const watch = useCallback(
    (batch: Batch) => {
      if (batch.finishedAt || watchers.current.has(batch.id)) return;
      const refreshCounts = () => {
        if (countTimers.current.has(batch.id)) return;
        countTimers.current.set(
          batch.id,
          setTimeout(() => {
            countTimers.current.delete(batch.id);
            api.getBatch(batch.id).then(upsert, () => undefined);
          }, COUNTS_MS),
        );
      };
      const stop = watchBatch(api, batch.id, useEvents, {
        onEvent() {
          bump();
          refreshCounts();
        },
        onBatch(fresh) {
          upsert(fresh);
          bump();
          if (fresh.finishedAt && watchers.current.has(fresh.id)) {
            watchers.current.get(fresh.id)?.();
            watchers.current.delete(fresh.id);
            setSettled((n) => n + 1);
            if (watchers.current.size === 0) setMode('idle');
          }
        },
        onMode: setMode,
      });
      watchers.current.set(batch.id, stop);
    },
    [api, useEvents, bump, upsert],
  );

  useEffect(() => {
    const controller = new AbortController();
    const active = watchers.current;
    const timers = countTimers.current;
    api
      .listBatches(jobId, controller.signal)
      .then((page) => {
        setBatches(page.items);
        page.items.forEach(watch);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught as Error);
      });
    return () => {
      controller.abort();
      for (const stop of active.values()) stop();
      active.clear();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [api, jobId, watch]);

  const addBatch = useCallback(
    (batch: Batch) => {
      upsert(batch);
      watch(batch);
      bump();
    },
    [upsert, watch, bump],
  );

  return { batches, tick, settled, mode, addBatch, error };
}

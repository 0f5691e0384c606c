export interface MergedRows<T> {
  rows: T[];
  /** Rows the read missed but kept for now; the next read drops them if it misses them too. */
  carried: Set<string>;
  /** The list should be read again soon, so carried rows show in their new place. */
  readAgain: boolean;
}

/**
 * Folds a fresh read of the list's leading rows into the rows on screen.
 *
 * A read of several pages is not a snapshot: a resume scored between two page reads jumps up past
 * the cursor and is in none of them, and one whose score falls may be read twice. So the read is
 * deduplicated (the later, fresher copy wins), and a shown row it missed is kept in its old place
 * for one more read (erased or filtered-out rows go then) instead of vanishing from the list for a
 * moment. A single page is one query, so nothing it misses is kept. Rows loaded beyond the read
 * (`reachedEnd` false) are kept after it.
 */
export function mergeRefresh<T extends { id: string }>(
  shown: readonly T[],
  read: readonly T[],
  { pages, reachedEnd, carried }: { pages: number; reachedEnd: boolean; carried: Set<string> },
): MergedRows<T> {
  const latest = new Map<string, number>();
  read.forEach((row, index) => latest.set(row.id, index));
  const fresh = read.filter((row, index) => latest.get(row.id) === index);
  const covered = reachedEnd ? shown : shown.slice(0, read.length);
  const beyond = reachedEnd ? [] : shown.slice(read.length).filter((row) => !latest.has(row.id));
  const missed =
    pages > 1 ? covered.filter((row) => !latest.has(row.id) && !carried.has(row.id)) : [];
  return {
    rows: [...fresh, ...missed, ...beyond],
    carried: new Set(missed.map((row) => row.id)),
    readAgain: missed.length > 0,
  };
}

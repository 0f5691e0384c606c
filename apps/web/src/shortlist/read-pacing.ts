/** Rows per list read (the API's largest page). */
export const PAGE = 200;
/** Live refreshes between full re-reads cover at most this many leading rows. */
export const HEAD_ROWS = 1_000;
/**
 * Shortest gap, per page read, before the list is read again: keeps the shortlist at about 5 list
 * reads a second on average, half of the API's default budget of 600 reads a minute per key
 * (batch counts, events and other tabs need the rest).
 */
export const SPACING_PER_PAGE_MS = 200;
/** A full re-read of every loaded row comes at least this often while results arrive... */
export const FULL_READ_MIN_MS = 5_000;
/** ...and takes at most a third of the read budget, however many rows are loaded. */
const FULL_READ_SHARE = 3;

export const pagesFor = (rows: number) => Math.max(1, Math.ceil(rows / PAGE));

/** Rows a live refresh re-reads: everything loaded, or only the head of a long list. */
export function refreshRows(loaded: number, full: boolean): number {
  const rows = Math.max(loaded, PAGE);
  return full ? rows : Math.min(rows, HEAD_ROWS);
}

/** How long after one full re-read of `loaded` rows the next may start. */
export function fullReadEvery(loaded: number): number {
  return Math.max(FULL_READ_MIN_MS, FULL_READ_SHARE * pagesFor(loaded) * SPACING_PER_PAGE_MS);
}

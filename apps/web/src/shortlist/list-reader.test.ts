import { ApiError } from '../api/client';
import type { Page } from '../api/types';
import { ListReader, type ListView } from './list-reader';
import { HEAD_ROWS, PAGE, SPACING_PER_PAGE_MS, fullReadEvery } from './read-pacing';

interface Row {
  id: string;
  /** -1 while waiting to be scored: the API lists those last. */
  score: number;
}

/**
 * The API's ranked list in memory, paged as the store pages it: by (score desc, id asc) with a
 * cursor naming the last row's sort key, so a row that moves between two page reads behaves as it
 * does against the real store.
 */
class FakeList {
  rows = new Map<string, number>();
  reads = 0;
  fail: ApiError | null = null;

  constructor(count: number, scored: number) {
    for (let i = 0; i < count; i++)
      this.rows.set(`r${String(i).padStart(5, '0')}`, i < scored ? 1_000 - (i % 997) : -1);
  }

  ranked(): Row[] {
    return [...this.rows]
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  }

  readonly read = (cursor: string | null): Promise<Page<Row>> => {
    this.reads += 1;
    if (this.fail) return Promise.reject(this.fail);
    const all = this.ranked();
    let start = 0;
    if (cursor) {
      const after = JSON.parse(cursor) as Row;
      start = all.findIndex(
        (r) => r.score < after.score || (r.score === after.score && r.id > after.id),
      );
      if (start < 0) start = all.length;
    }
    const items = all.slice(start, start + PAGE);
    const last = items[items.length - 1];
    const nextCursor = start + PAGE < all.length && last ? JSON.stringify(last) : null;
    return Promise.resolve({ items: items.map((r) => ({ ...r })), nextCursor });
  };
}

describe('ListReader', () => {
  let view: ListView<Row>;
  let reader: ListReader<Row>;
  const ids = (rows: Row[]) => rows.map((r) => r.id);

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    reader?.stop();
    jest.useRealTimers();
  });

  const open = async (list: FakeList) => {
    reader = new ListReader<Row>(list.read, (next) => (view = next));
    reader.start();
    await jest.advanceTimersByTimeAsync(0);
  };
  /** Scrolls until `rows` are loaded, as the grid asks for pages near its end. */
  const scrollTo = async (rows: number) => {
    while (view.rows.length < rows && view.hasMore) {
      reader.loadMore();
      await jest.advanceTimersByTimeAsync(10);
    }
  };

  it('shows a resume scored into the loaded rows past the head once its batch finishes', async () => {
    const list = new FakeList(1_500, 1_200);
    await open(list);
    await scrollTo(1_400);
    expect(view.rows).toHaveLength(1_400);
    // A resume never loaded (waiting, at the end of the list) is scored into row ~1,100.
    const late = list.ranked()[1_450]!;
    list.rows.set(late.id, list.ranked()[1_100]!.score);
    reader.changed();
    await jest.advanceTimersByTimeAsync(500);
    // The head read is fresh, but alone cannot see it: it sorts past row 1,000.
    expect(ids(view.rows.slice(0, HEAD_ROWS))).toEqual(ids(list.ranked().slice(0, HEAD_ROWS)));
    expect(ids(view.rows)).not.toContain(late.id);

    reader.settled();
    await jest.advanceTimersByTimeAsync(fullReadEvery(1_400));
    expect(ids(view.rows)).toEqual(ids(list.ranked()).slice(0, view.rows.length));
    expect(ids(view.rows)).toContain(late.id);
    await scrollTo(1_500);
    expect(ids(view.rows)).toEqual(ids(list.ranked()));
    expect(view.hasMore).toBe(false);
  });

  it('re-reads every loaded row now and then while results keep arriving', async () => {
    const list = new FakeList(3_000, 2_000);
    await open(list);
    await scrollTo(2_600);
    const waiting = list.ranked().slice(2_000);
    // Results arrive every 400 ms for 30 s; each one lands in the loaded band past the head.
    for (let i = 0; i < 75; i++) {
      list.rows.set(waiting[i]!.id, 600 - i);
      reader.changed();
      await jest.advanceTimersByTimeAsync(400);
    }
    await jest.advanceTimersByTimeAsync(fullReadEvery(2_600));
    expect(ids(view.rows)).toEqual(ids(list.ranked()).slice(0, view.rows.length));
    expect(view.rows.length).toBeGreaterThanOrEqual(2_600);
  });

  it('reads the head at once and stays inside the read budget', async () => {
    const list = new FakeList(3_000, 3_000);
    await open(list);
    await scrollTo(2_000);
    const before = list.reads;
    const minutes = 1;
    for (let i = 0; i < (minutes * 60_000) / 100; i++) {
      reader.changed();
      await jest.advanceTimersByTimeAsync(100);
    }
    // At most one page per SPACING_PER_PAGE_MS, plus the read that may start at the very end.
    const budget = (minutes * 60_000) / SPACING_PER_PAGE_MS + 2_000 / PAGE;
    expect(list.reads - before).toBeLessThanOrEqual(budget);
    // ...and it did keep reading: about half of it goes to the head (5 pages each).
    expect(list.reads - before).toBeGreaterThan(budget / 2);
    expect(view.rows.length).toBeGreaterThanOrEqual(HEAD_ROWS);
  });

  it('tries a read that hit the rate limit again, and gives up on one the API refused', async () => {
    const list = new FakeList(300, 300);
    await open(list);
    list.fail = new ApiError(429, 'rate_limited', 'Too many requests right now.', {
      retryAfterSeconds: 8,
    });
    reader.changed();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(view.error?.message).toBe('Too many requests right now.');
    list.fail = null;
    list.rows.set('r00299', 5_000);
    await jest.advanceTimersByTimeAsync(8_000);
    expect(view.error).toBeNull();
    expect(view.rows[0]!.id).toBe('r00299');

    list.fail = new ApiError(404, 'not_found', 'No such job.');
    reader.changed();
    await jest.advanceTimersByTimeAsync(1_000);
    const reads = list.reads;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(list.reads).toBe(reads);
    expect(view.error?.message).toBe('No such job.');
  });
});

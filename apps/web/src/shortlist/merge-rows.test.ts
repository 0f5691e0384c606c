import { mergeRefresh } from './merge-rows';

const rows = (ids: string) => ids.split('').map((id) => ({ id, v: 0 }));
const ids = (list: { id: string }[]) => list.map((r) => r.id).join('');
const none = new Set<string>();

describe('mergeRefresh', () => {
  it('keeps a row that jumped up past the cursor between two page reads, and reads again', () => {
    // Shown a..f; while page 2 was read, "f" was scored and moved to the top half already read.
    const merged = mergeRefresh(rows('abcdef'), rows('abcde'), {
      pages: 2,
      reachedEnd: true,
      carried: none,
    });
    expect(ids(merged.rows)).toBe('abcdef');
    expect([...merged.carried]).toEqual(['f']);
    expect(merged.readAgain).toBe(true);
  });

  it('drops a carried row the next read misses too (erased, or filtered out)', () => {
    const merged = mergeRefresh(rows('abcdef'), rows('abcde'), {
      pages: 2,
      reachedEnd: true,
      carried: new Set(['f']),
    });
    expect(ids(merged.rows)).toBe('abcde');
    expect(merged.readAgain).toBe(false);
  });

  it('trusts a single page, which is one consistent query', () => {
    const merged = mergeRefresh(rows('abcdef'), rows('abce'), {
      pages: 1,
      reachedEnd: true,
      carried: none,
    });
    expect(ids(merged.rows)).toBe('abce');
    expect(merged.readAgain).toBe(false);
  });

  it('shows a row read twice once, where the later page put it', () => {
    const read = [...rows('abc'), { id: 'a', v: 1 }, ...rows('d')];
    const merged = mergeRefresh(rows('abcd'), read, { pages: 2, reachedEnd: true, carried: none });
    expect(ids(merged.rows)).toBe('bcad');
    expect(merged.rows.find((r) => r.id === 'a')!.v).toBe(1);
  });

  it('keeps rows loaded beyond a capped read after it, with missed ones at the boundary', () => {
    // Shown a..h (loaded by scrolling); the read covered the first four places: "c" was pushed
    // down out of them by "g", which was scored meanwhile.
    const merged = mergeRefresh(rows('abcdefgh'), rows('agbd'), {
      pages: 2,
      reachedEnd: false,
      carried: none,
    });
    expect(ids(merged.rows)).toBe('agbdcefh');
    expect([...merged.carried]).toEqual(['c']);
  });
});

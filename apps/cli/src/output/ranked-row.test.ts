import { rankRows, type RankedRow } from './ranked-row';

const row = (file: string, score: number | null): RankedRow => ({
  rank: null,
  file,
  name: null,
  email: null,
  status: score === null ? 'failed' : 'done',
  score,
  tier: null,
  criteria: [],
  summary: null,
  warnings: [],
  error: score === null ? 'unreadable' : null,
});

it('ranks best first, breaks ties by file name, and puts unscored files last without a rank', () => {
  const ranked = rankRows([row('c', 50), row('x', null), row('b', 90), row('a', 50)]);
  expect(ranked.map((r) => [r.file, r.rank])).toEqual([
    ['b', 1],
    ['a', 2],
    ['c', 3],
    ['x', null],
  ]);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@shortlist/testkit';
import { RESUME_EQUALITY_FIELDS, RESUME_SORT_FIELDS } from './firestore-store';

/*
 * infra/firestore.indexes.json must serve every query the Firestore adapter issues, or real
 * Firestore answers FAILED_PRECONDITION ("The query requires an index"); the emulator never does,
 * so the contract tests cannot catch a missing index. A query with equality filters E and an
 * order O is served by an index (E..., O) or by merging indexes (E1..., O), (E2..., O) whose
 * equality fields together are E (Firestore's index merging).
 */

interface IndexField {
  fieldPath: string;
  order: 'ASCENDING' | 'DESCENDING';
}
interface Index {
  collectionGroup: string;
  queryScope: string;
  fields: IndexField[];
}

const file = JSON.parse(
  readFileSync(join(REPO_ROOT, 'infra', 'firestore.indexes.json'), 'utf8'),
) as { indexes: Index[]; fieldOverrides: unknown[] };

const DESC = 'DESCENDING' as const;
const ASC = 'ASCENDING' as const;
const NAME: IndexField = { fieldPath: '__name__', order: ASC };
const key = (fields: IndexField[]) => fields.map((f) => `${f.fieldPath}:${f.order}`).join(',');

/** Indexes of `group` that end with exactly `order` after ascending equality fields. */
function equalitySetsFor(group: string, order: IndexField[]): string[][] {
  return file.indexes
    .filter((i) => i.collectionGroup === group && i.queryScope === 'COLLECTION')
    .filter((i) => key(i.fields.slice(i.fields.length - order.length)) === key(order))
    .map((i) => i.fields.slice(0, i.fields.length - order.length))
    .filter((prefix) => prefix.every((f) => f.order === ASC))
    .map((prefix) => prefix.map((f) => f.fieldPath));
}

function served(group: string, equality: string[], order: IndexField[]): boolean {
  const sets = equalitySetsFor(group, order);
  if (equality.length === 0) return sets.some((s) => s.length === 0);
  // Merge: the union of indexes whose equality fields are all in E must cover E.
  const usable = sets.filter((s) => s.length > 0 && s.every((f) => equality.includes(f)));
  return equality.every((f) => usable.some((s) => s.includes(f)));
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]);
}

describe('infra/firestore.indexes.json', () => {
  it('is well-formed: collection-scoped composite indexes of two or more fields', () => {
    expect(file.indexes.length).toBeGreaterThan(0);
    for (const index of file.indexes) {
      expect(index.queryScope).toBe('COLLECTION');
      expect(index.fields.length).toBeGreaterThanOrEqual(2);
      for (const f of index.fields) expect([ASC, DESC]).toContain(f.order);
      expect(index.fields.slice(0, -1).some((f) => f.fieldPath === '__name__')).toBe(false);
    }
    const keys = file.indexes.map((i) => `${i.collectionGroup}|${key(i.fields)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(Object.entries(RESUME_SORT_FIELDS))(
    'serves every resume list filter combination sorted by %s',
    (_sort, fields) => {
      const order = [...fields.map((f) => ({ fieldPath: f.field, order: DESC })), NAME];
      const missing = subsets(RESUME_EQUALITY_FIELDS).filter(
        (eq) => !served('resumes', [...eq], order),
      );
      expect(missing).toEqual([]);
    },
  );

  it('serves the stats sums of a job and of a batch', () => {
    for (const filter of ['jobId', 'batchId'])
      for (const sum of ['costUsd', 'tokensIn', 'tokensOut'])
        expect(served('resumes', [filter], [{ fieldPath: sum, order: ASC }])).toBe(true);
  });

  it('serves the job, batch, email, opt-out, audit and API-key lists', () => {
    const byCreated = [{ fieldPath: 'createdAt', order: DESC }, NAME];
    expect(served('jobs', [], byCreated)).toBe(true);
    expect(served('auditRecords', [], byCreated)).toBe(true);
    expect(served('batches', [], byCreated)).toBe(true);
    expect(served('batches', ['jobId'], byCreated)).toBe(true);
    for (const eq of subsets(['jobId', 'resumeId', 'status']))
      expect(served('emails', eq, byCreated)).toBe(true);
    expect(
      served(
        'optOuts',
        [],
        [
          { fieldPath: 'createdAt', order: DESC },
          { fieldPath: 'address', order: ASC },
        ],
      ),
    ).toBe(true);
    expect(served('apiKeys', ['userId'], [{ fieldPath: 'createdAt', order: ASC }, NAME])).toBe(
      true,
    );
  });
});

import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import {
  AggregateField,
  FieldPath,
  Filter,
  getFirestore,
  type CollectionReference,
  type Firestore,
} from 'firebase-admin/firestore';
import {
  listeningAddresses,
  startFirestoreEmulator,
  type FirestoreTestEmulator,
} from '@shortlist/testkit';

/*
 * The npm Firestore emulator is patched (patches/@firestore-emulator__server@0.3.15.patch): without
 * the patch, startAfter/startAt/endBefore/endAt and offset are ignored (every page is page one),
 * integers and doubles never compare, documents lacking an ordered field are returned, ties have no
 * order, update-time preconditions are ignored and the server listens on every interface. These
 * tests pin the real-Firestore behaviour the store adapter relies on.
 */

let emulator: FirestoreTestEmulator;
let app: App;
let db: Firestore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  app = initializeApp(
    { projectId: emulator.projectId },
    `patch-test-${randomBytes(4).toString('hex')}`,
  );
  db = getFirestore(app);
  db.settings({ host: emulator.host, ssl: false });
});

afterAll(async () => {
  if (app) await deleteApp(app);
  await emulator?.stop();
});

/** A fresh collection with documents d00..d11: `n` = i, `score` alternating whole and fractional. */
async function seeded(): Promise<CollectionReference> {
  const col = db.collection(`c-${randomBytes(4).toString('hex')}`);
  const batch = db.batch();
  for (let i = 0; i < 12; i++) {
    batch.create(col.doc(`d${String(i).padStart(2, '0')}`), {
      n: i,
      score: i % 2 === 0 ? i * 10 : i * 10 + 0.5,
      group: i % 3,
      tag: i < 6 ? 'low' : 'high',
    });
  }
  await batch.commit();
  return col;
}

const ids = (snapshot: { docs: { id: string }[] }) => snapshot.docs.map((d) => d.id);

describe('patched Firestore emulator', () => {
  it('honours startAfter/startAt/endBefore/endAt on a multi-field order with a document-id tie-break', async () => {
    const col = await seeded();
    const ordered = col.orderBy('group', 'desc').orderBy(FieldPath.documentId(), 'asc');
    expect(ids(await ordered.get())).toEqual([
      'd02',
      'd05',
      'd08',
      'd11',
      'd01',
      'd04',
      'd07',
      'd10',
      'd00',
      'd03',
      'd06',
      'd09',
    ]);
    expect(ids(await ordered.startAfter(2, 'd08').limit(3).get())).toEqual(['d11', 'd01', 'd04']);
    expect(ids(await ordered.startAt(1, 'd04').limit(2).get())).toEqual(['d04', 'd07']);
    expect(ids(await ordered.startAfter(1).get())).toEqual(['d00', 'd03', 'd06', 'd09']);
    expect(ids(await ordered.endBefore(1, 'd04').get())).toEqual([
      'd02',
      'd05',
      'd08',
      'd11',
      'd01',
    ]);
    expect(ids(await ordered.startAt(0).endAt(0, 'd03').get())).toEqual(['d00', 'd03']);
  });

  it('pages with offset', async () => {
    const col = await seeded();
    expect(ids(await col.orderBy('n').offset(10).get())).toEqual(['d10', 'd11']);
    expect(ids(await col.orderBy('n').offset(3).limit(2).get())).toEqual(['d03', 'd04']);
  });

  it('compares integers and doubles as numbers in filters, orders and cursors', async () => {
    const col = await seeded();
    expect(ids(await col.where('score', '>=', 70).orderBy('score', 'desc').get())).toEqual([
      'd11',
      'd10',
      'd09',
      'd08',
      'd07',
    ]);
    expect(ids(await col.orderBy('score').startAfter(30.5).limit(2).get())).toEqual(['d04', 'd05']);
    expect(ids(await col.where('score', '==', 40).get())).toEqual(['d04']);
    expect(ids(await col.where('score', 'in', [10.5, 20]).get())).toEqual(['d01', 'd02']);
  });

  it('excludes documents without an ordered field and orders by id by default', async () => {
    const col = await seeded();
    await col.doc('a-no-score').create({ n: 99 });
    expect(ids(await col.orderBy('score').get())).not.toContain('a-no-score');
    expect(ids(await col.get())[0]).toBe('a-no-score');
    expect((await col.where('n', '>=', 0).count().get()).data().count).toBe(13);
  });

  it('applies nested and unary filters', async () => {
    const col = await seeded();
    await col.doc('nulls').create({ n: 50, score: null, group: 9, tag: 'x' });
    expect(ids(await col.where('tag', '==', 'low').where('n', '>=', 4).get())).toEqual([
      'd04',
      'd05',
    ]);
    const nested = Filter.and(
      Filter.where('group', '==', 0),
      Filter.or(Filter.where('n', '<', 2), Filter.where('tag', '==', 'high')),
    );
    expect(ids(await col.where(nested).get())).toEqual(['d00', 'd06', 'd09']);
    expect(ids(await col.where('score', '==', null).get())).toEqual(['nulls']);
    expect(ids(await col.where('score', '!=', null).orderBy('score').limit(1).get())).toEqual([
      'd00',
    ]);
  });

  it('counts and sums over filtered queries', async () => {
    const col = await seeded();
    const agg = await col
      .where('tag', '==', 'high')
      .aggregate({ count: AggregateField.count(), sum: AggregateField.sum('score') })
      .get();
    expect(agg.data()).toEqual({ count: 6, sum: 60 + 70.5 + 80 + 90.5 + 100 + 110.5 });
  });

  it('rejects a write whose update-time precondition is stale, and accepts the current one', async () => {
    const col = await seeded();
    const ref = col.doc('d00');
    const first = await ref.get();
    await ref.update({ n: 100 }, { lastUpdateTime: first.updateTime! });
    await expect(
      ref.update({ n: 200 }, { lastUpdateTime: first.updateTime! }),
    ).rejects.toMatchObject({
      code: 9, // FAILED_PRECONDITION
    });
    const second = await ref.get();
    expect(second.get('n')).toBe(100);
    expect(second.updateTime!.isEqual(first.updateTime!)).toBe(false);
    await ref.update({ n: 300 }, { lastUpdateTime: second.updateTime! });
    expect((await ref.get()).get('n')).toBe(300);
  });

  it('replaces a document on set() without merge', async () => {
    const col = await seeded();
    await col.doc('d01').set({ only: true });
    expect((await col.doc('d01').get()).data()).toEqual({ only: true });
  });

  it('listens on 127.0.0.1 only', () => {
    if (emulator.pid === null) return; // an external emulator is not ours to inspect
    expect(listeningAddresses(Number(emulator.host.split(':')[1]))).toEqual(['127.0.0.1']);
  });
});

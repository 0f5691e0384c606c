import { startFirestoreEmulator, type FirestoreTestEmulator } from '@shortlist/testkit';
import { FirestoreStore } from '../src';
import { describeStoreContract } from './store.contract';

let emulator: FirestoreTestEmulator;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
});

afterAll(async () => {
  await emulator?.stop();
});

describeStoreContract(
  'Firestore (emulator)',
  async () =>
    new FirestoreStore({
      projectId: emulator.projectId,
      emulatorHost: emulator.host,
      cursorSecret: 'contract-test-secret-0123',
    }),
);

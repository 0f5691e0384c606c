import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startProcess } from './process';

/** A Firestore emulator tests can use, with a project id no other test uses. */
export interface FirestoreTestEmulator {
  /** `host:port`, as FIRESTORE_EMULATOR_HOST takes it. */
  host: string;
  /** A fresh project id: each test file gets an empty database. */
  projectId: string;
  /** The PID of the emulator we started, or null for an external one. */
  pid: number | null;
  /** Stops the emulator we started (by PID); no-op for an external one. */
  stop(): Promise<void>;
}

/**
 * A Firestore emulator for tests. By default starts the npm `@firestore-emulator/server`
 * (patched, see patches/) on 127.0.0.1 at a free port in a child process. To run the same tests
 * against Google's emulator (`gcloud emulators firestore start --host-port=127.0.0.1:8080`), set
 * `TEST_FIRESTORE_EMULATOR_HOST=127.0.0.1:8080`.
 */
export async function startFirestoreEmulator(): Promise<FirestoreTestEmulator> {
  const projectId = `demo-test-${randomBytes(4).toString('hex')}`;
  const external = process.env.TEST_FIRESTORE_EMULATOR_HOST;
  if (external) return { host: external, projectId, pid: null, stop: async () => {} };
  const emulator = startProcess(
    process.execPath,
    [join(__dirname, 'firestore-emulator.process.cjs')],
    { label: 'firestore emulator' },
  );
  try {
    const [, port] = (await emulator.waitFor(
      /FIRESTORE EMULATOR LISTENING (\d+)/,
      20_000,
    )) as unknown as [string, string];
    return {
      host: `127.0.0.1:${port}`,
      projectId,
      pid: emulator.pid,
      stop: async () => {
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop('SIGKILL');
    throw error;
  }
}

import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, startProcess, tempDir, type RunningProcess } from '@shortlist/testkit';
import { SqliteStore } from '../src';
import { makeBatch, makeJob, makeResume, makeUser } from './fixtures';

const PROCESSES = 3;
const RESUMES = 1_000;

let dir: Awaited<ReturnType<typeof tempDir>>;
const running: RunningProcess[] = [];

beforeAll(async () => {
  dir = await tempDir('store-multiprocess');
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL', 1_000)));
  await dir.remove();
});

it('several processes racing on one SQLite file finish each resume exactly once, counters exact', async () => {
  const path = join(dir.path, 'shared.db');
  const store = new SqliteStore({ path, cursorSecret: 'multiprocess-test-secret' });
  const user = await store.users.create(makeUser());
  const job = await store.jobs.create(makeJob(user.id));
  const work = await store.batches.create(makeBatch(user.id, job.id, RESUMES));
  const resumes = Array.from({ length: RESUMES }, () => makeResume(user.id, job.id, work.id));
  await store.resumes.createMany(resumes);
  const ids = JSON.stringify(resumes.map((r) => r.id));

  const goFile = join(dir.path, 'go');
  for (let i = 0; i < PROCESSES; i++) {
    running.push(
      startProcess(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'sqlite-hammer.ts'),
          path,
          user.id,
          ids,
          String(Math.floor((i * RESUMES) / PROCESSES)),
          goFile,
        ],
        { cwd: REPO_ROOT, label: `hammer ${i}` },
      ),
    );
  }
  // Every process starts once all have loaded, so their writes overlap.
  await Promise.all(running.map((p) => p.waitFor(/READY/, 60_000)));
  await writeFile(goFile, '');
  const results = await Promise.all(
    running.map(async (p) => {
      const [, json] = (await p.waitFor(/RESULT (.*)\n/, 120_000)) as unknown as [string, string];
      const code = p.child.exitCode ?? ((await once(p.child, 'exit')) as [number | null])[0];
      expect(code).toBe(0);
      return JSON.parse(json) as { won: string[] };
    }),
  );

  const wins = results.flatMap((r) => r.won);
  expect(wins).toHaveLength(RESUMES);
  expect(new Set(wins).size).toBe(RESUMES);
  // The race was real: every process won some resumes and none won them all.
  expect(results.every((r) => r.won.length > 0 && r.won.length < RESUMES)).toBe(true);
  expect(await store.resumes.count(user.id, { jobId: job.id, status: 'done' })).toBe(RESUMES);
  const finished = await store.batches.get(user.id, work.id);
  expect(finished?.counts).toEqual({
    total: RESUMES,
    queued: 0,
    processing: 0,
    done: RESUMES,
    failed: 0,
    duplicate: 0,
  });
  expect(finished?.finishedAt).not.toBeNull();
  await store.close();
});

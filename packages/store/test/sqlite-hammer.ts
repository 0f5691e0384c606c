/**
 * One of several processes writing the same SQLite file at once (run by
 * sqlite-multiprocess.int.test.ts): it races to claim and finish every resume (each transition
 * moving the batch counters in the same transaction), then prints which resumes it won.
 */
import { existsSync } from 'node:fs';
import { SqliteStore } from '../src';

async function main(): Promise<void> {
  const [path, userId, idsJson, offset, goFile] = process.argv.slice(2);
  const store = new SqliteStore({ path: path!, cursorSecret: 'multiprocess-test-secret' });
  // Each process walks the resumes from its own starting point, so claims really collide.
  const all = JSON.parse(idsJson!) as string[];
  const ids = [...all.slice(Number(offset)), ...all.slice(0, Number(offset))];
  process.stdout.write('READY\n');
  while (!existsSync(goFile!)) await new Promise((r) => setTimeout(r, 2));
  const now = () => new Date().toISOString();

  const won: string[] = [];
  for (const id of ids) {
    const claimed = await store.resumes.transition(
      userId!,
      id,
      ['queued'],
      { status: 'processing' },
      now(),
    );
    if (!claimed) continue;
    const done = await store.resumes.transition(
      userId!,
      id,
      ['processing'],
      { status: 'done', score: 50, tier: 'maybe' },
      now(),
    );
    if (!done) throw new Error(`lost a resume it had claimed: ${id}`);
    won.push(id);
  }
  await store.close();
  process.stdout.write(`RESULT ${JSON.stringify({ won })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`hammer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

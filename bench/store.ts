/**
 * Store benchmark: insert 10,000 resumes into a fresh SQLite file, then page through all of them
 * 50 at a time, several times, through the store (keyset cursor + HMAC + row mapping).
 *
 * Baselines measured in the same run on the same file:
 * - `raw keyset`: the same keyset SQL through better-sqlite3 with no mapping or cursor signing,
 *   i.e. the floor our layer adds to;
 * - `OFFSET`: LIMIT/OFFSET paging, what keyset pagination avoids (cost grows with the page number).
 *
 * Run: node --import tsx bench/store.ts [resumes=10000] [runs=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteStore, type ResumeFilter, type ResumeSortKey } from '../packages/store/src';
import { makeBatch, makeJob, makeResumeSet, makeUser } from '../packages/store/test/fixtures';

const COUNT = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 5);
const PAGE = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const store = new SqliteStore({
    path: join(dir, 'bench.db'),
    cursorSecret: 'bench-secret-0123456789',
  });
  try {
    const user = await store.users.create(makeUser());
    // Noise tenant: another user's 10,000 resumes share the tables, as in a real deployment.
    const other = await store.users.create(makeUser());
    const job = await store.jobs.create(makeJob(user.id));
    const otherJob = await store.jobs.create(makeJob(other.id));
    const batch = await store.batches.create(makeBatch(user.id, job.id, COUNT));
    const otherBatch = await store.batches.create(makeBatch(other.id, otherJob.id, COUNT));
    const resumes = makeResumeSet(user.id, job.id, batch.id, COUNT);
    await store.resumes.createMany(makeResumeSet(other.id, otherJob.id, otherBatch.id, COUNT));

    // Inserts as the gateway makes them: one createMany per upload of 1,000 files.
    const insertStart = performance.now();
    for (let i = 0; i < COUNT; i += 1_000)
      await store.resumes.createMany(resumes.slice(i, i + 1_000));
    const insertMs = performance.now() - insertStart;
    store.db.pragma('optimize');

    const raw = store.db.prepare(
      `SELECT * FROM resumes WHERE user_id = ? AND job_id = ?
       AND coalesce(score, -1) <= ? AND (coalesce(score, -1) < ? OR (coalesce(score, -1) = ? AND id > ?))
       ORDER BY coalesce(score, -1) DESC, id ASC LIMIT ?`,
    );
    const rawFirst = store.db.prepare(
      `SELECT * FROM resumes WHERE user_id = ? AND job_id = ?
       ORDER BY coalesce(score, -1) DESC, id ASC LIMIT ?`,
    );
    const offset = store.db.prepare(
      `SELECT * FROM resumes WHERE user_id = ? AND job_id = ?
       ORDER BY coalesce(score, -1) DESC, id ASC LIMIT ? OFFSET ?`,
    );

    const lists: [string, ResumeFilter, ResumeSortKey][] = [
      ['by score', { jobId: job.id }, 'score'],
      ['by upload time', { jobId: job.id }, 'uploadedAt'],
      ['tier=maybe by score', { jobId: job.id, tier: 'maybe' }, 'score'],
      ['minScore=60 by upload time', { jobId: job.id, minScore: 60 }, 'uploadedAt'],
    ];
    const results: Record<string, { p50: number[]; p95: number[]; p99: number[]; pages: number }> =
      {};
    const record = (name: string, samples: number[]) => {
      const s = summary(samples);
      const r = (results[name] ??= { p50: [], p95: [], p99: [], pages: samples.length });
      r.p50.push(s.p50);
      r.p95.push(s.p95);
      r.p99.push(s.p99);
    };

    for (let run = 0; run <= RUNS; run++) {
      const warmUp = run === 0;
      for (const [name, filter, sort] of lists) {
        const samples: number[] = [];
        let cursor: string | undefined;
        let seen = 0;
        do {
          const t = performance.now();
          const page = await store.resumes.list(user.id, filter, sort, { cursor, limit: PAGE });
          samples.push(performance.now() - t);
          seen += page.items.length;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (name === 'by score' && seen !== COUNT) throw new Error(`paged ${seen} of ${COUNT}`);
        if (!warmUp) record(`store: ${name}`, samples);
      }

      const rawSamples: number[] = [];
      let last: { score: number | null; id: string } | undefined;
      for (;;) {
        const t = performance.now();
        const rows = (
          last
            ? raw.all(
                user.id,
                job.id,
                last.score ?? -1,
                last.score ?? -1,
                last.score ?? -1,
                last.id,
                PAGE,
              )
            : rawFirst.all(user.id, job.id, PAGE)
        ) as { score: number | null; id: string }[];
        rawSamples.push(performance.now() - t);
        if (rows.length < PAGE) break;
        last = rows.at(-1)!;
      }
      if (!warmUp) record('baseline: raw keyset SQL, by score', rawSamples);

      const offsetSamples: number[] = [];
      for (let skip = 0; skip < COUNT; skip += PAGE) {
        const t = performance.now();
        offset.all(user.id, job.id, PAGE, skip);
        offsetSamples.push(performance.now() - t);
      }
      if (!warmUp) record('baseline: LIMIT/OFFSET, by score', offsetSamples);
    }

    const fmt = (n: number) => n.toFixed(3);
    const rawP95 = median(results['baseline: raw keyset SQL, by score']!.p95);
    console.log(
      `\n${COUNT.toLocaleString('en')} resumes (plus ${COUNT.toLocaleString('en')} of another tenant), page of ${PAGE}, ${RUNS} runs after a warm-up; ` +
        `${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      `insert ${COUNT.toLocaleString('en')} resumes (createMany x1,000): ${insertMs.toFixed(0)} ms\n`,
    );
    console.log('| list | pages | p50 ms | p95 ms | p99 ms | p95 / raw keyset |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, r] of Object.entries(results)) {
      const p95 = median(r.p95);
      console.log(
        `| ${name} | ${r.pages} | ${fmt(median(r.p50))} | ${fmt(p95)} | ${fmt(median(r.p99))} | ${(p95 / rawP95).toFixed(2)} |`,
      );
    }
    const goal = median(results['store: by score']!.p95);
    console.log(
      `\ngoal: page of 50 in <= 5 ms p95 -> ${goal <= 5 ? 'met' : 'NOT met'} (${fmt(goal)} ms)`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

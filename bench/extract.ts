/**
 * Extraction benchmark over the real resumes in <shared data>/livecareer-pdfs: our extractor
 * (createExtractor: text in reading order + hidden-text checks + verdict + resume profile) against
 * pdf-parse 2.4 (pdf.js getTextContent only) on the same files in the same run, each on one and on
 * two worker threads. Reports files/s (wall time) and p50/p95 ms per file (time inside the
 * thread), median over runs after a warm-up.
 *
 *   node --import tsx bench/extract.ts [--files 200|all] [--runs 3]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createExtractor } from '../packages/extract/src';
import { sharedDataDir } from '@shortlist/testkit';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};

/** Files each thread reads before the clock starts (JIT warm-up), for both engines. */
const WARM_UP_FILES = 20;

interface Measure {
  filesPerSecond: number;
  p50: number;
  p95: number;
  failed: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;

function summarise(wallMs: number, perFile: number[], failed: number): Measure {
  const sorted = [...perFile].sort((a, b) => a - b);
  return {
    filesPerSecond: (perFile.length / wallMs) * 1000,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    failed,
  };
}

async function ours(files: Buffer[], threads: number): Promise<Measure> {
  const extractor = createExtractor({ threads });
  // Start the threads (pdf.js loaded, code warmed up) before the clock starts, as in a worker
  // that has been running for a while; pdf-parse gets the same warm-up below.
  await Promise.all(
    Array.from({ length: threads }, async () => {
      for (const f of files.slice(0, WARM_UP_FILES)) await extractor.extract(f);
    }),
  );
  const started = performance.now();
  const results = await Promise.all(files.map((f) => extractor.extract(f)));
  const wall = performance.now() - started;
  await extractor.close();
  return summarise(
    wall,
    results.map((r) => r.durationMs),
    results.filter((r) => r.verdict !== 'ok').length,
  );
}

// pdf-parse in the same kind of pool: one file per thread at a time, time taken inside the thread.
const PDF_PARSE_WORKER = `
const { parentPort } = require('node:worker_threads');
const { PDFParse } = require(${JSON.stringify(require.resolve('pdf-parse'))});
parentPort.on('message', async ({ id, bytes }) => {
  const started = performance.now();
  let ok = true;
  try {
    const parser = new PDFParse({ data: bytes });
    await parser.getText();
    await parser.destroy();
  } catch { ok = false; }
  parentPort.postMessage({ id, ms: performance.now() - started, ok });
});`;

async function pdfParse(files: Buffer[], threads: number): Promise<Measure> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(PDF_PARSE_WORKER, { eval: true }),
  );
  const run = (worker: Worker, bytes: Buffer, id: number) =>
    new Promise<{ ms: number; ok: boolean }>((resolve) => {
      const copy = new Uint8Array(bytes);
      const onMessage = (m: { id: number; ms: number; ok: boolean }) => {
        if (m.id !== id) return;
        worker.off('message', onMessage);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, bytes: copy }, [copy.buffer]);
    });
  await Promise.all(
    workers.map(async (w, i) => {
      for (const [k, f] of files.slice(0, WARM_UP_FILES).entries())
        await run(w, f, -1 - i * WARM_UP_FILES - k);
    }),
  );
  const times: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      while (next < files.length) {
        const i = next++;
        const r = await run(worker, files[i]!, i);
        times.push(r.ms);
        if (!r.ok) failed++;
      }
    }),
  );
  const wall = performance.now() - started;
  await Promise.all(workers.map((w) => w.terminate()));
  return summarise(wall, times, failed);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function main() {
  const dataDir = sharedDataDir();
  const folder = dataDir ? join(dataDir, 'livecareer-pdfs') : null;
  if (!folder) {
    console.log('No shared data (livecareer-pdfs); set SHORTLIST_DATA_DIR. Nothing measured.');
    return;
  }
  const all = readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(folder, d.name)).map((f) => join(d.name, f)))
    .filter((f) => f.endsWith('.pdf'))
    .sort();
  const count = arg('files', '200');
  const step = count === 'all' ? 1 : Math.max(1, Math.floor(all.length / Number(count)));
  const names = all
    .filter((_, i) => i % step === 0)
    .slice(0, count === 'all' ? all.length : Number(count));
  const files = names.map((f) => readFileSync(join(folder, f)));
  const runs = Number(arg('runs', '3'));
  const mb = files.reduce((n, f) => n + f.length, 0) / 1024 / 1024;
  console.log(
    `${files.length} PDFs (${mb.toFixed(1)} MiB), ${runs} runs after a warm-up, Node ${process.version}`,
  );

  const engines = [
    { name: 'ours, 1 thread', run: () => ours(files, 1) },
    { name: 'pdf-parse, 1 thread', run: () => pdfParse(files, 1) },
    { name: 'ours, 2 threads', run: () => ours(files, 2) },
    { name: 'pdf-parse, 2 threads', run: () => pdfParse(files, 2) },
  ];
  await ours(files.slice(0, 20), 1);
  await pdfParse(files.slice(0, 20), 1);
  const results = new Map<string, Measure[]>(engines.map((e) => [e.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const engine of engines) {
      const m = await engine.run();
      results.get(engine.name)!.push(m);
      console.log(
        `run ${r + 1} ${engine.name}: ${m.filesPerSecond.toFixed(1)} files/s, p95 ${m.p95.toFixed(1)} ms`,
      );
    }
  }
  const row = (name: string) => {
    const ms = results.get(name)!;
    return {
      fps: median(ms.map((m) => m.filesPerSecond)),
      p50: median(ms.map((m) => m.p50)),
      p95: median(ms.map((m) => m.p95)),
      failed: median(ms.map((m) => m.failed)),
    };
  };
  console.log('\n| engine | files/s | p50 ms | p95 ms | not ok | throughput vs pdf-parse |');
  console.log('|---|---|---|---|---|---|');
  for (const threads of [1, 2]) {
    const base = row(`pdf-parse, ${threads} thread${threads > 1 ? 's' : ''}`);
    for (const name of [
      `ours, ${threads} thread${threads > 1 ? 's' : ''}`,
      `pdf-parse, ${threads} thread${threads > 1 ? 's' : ''}`,
    ]) {
      const r = row(name);
      console.log(
        `| ${name} | ${r.fps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.failed} | ${(r.fps / base.fps).toFixed(2)}x |`,
      );
    }
  }
}

void main();

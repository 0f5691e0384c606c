/**
 * All real PDFs of `livecareer-pdfs` end to end with the local scorer: real gateway and
 * resume-worker processes; time from the start of the multipart upload to the batch's last result
 * (`finishedAt` seen by a client polling every 100 ms). Goal: <= 12 s for 806 PDFs.
 * Baseline in the same run, while the stack is idle: the same files through the same extractor
 * (`createExtractor`) in this process on as many threads as the workers have together, i.e. the
 * extraction work alone, which the pipeline cannot beat. CPU seconds per process are reported
 * too: on a shared machine they depend on the neighbours much less than wall time.
 *
 *   node --import tsx bench/pipeline-pdfs.ts [--workers 2] [--threads 1] [--concurrency 16]
 *        [--runs 3] [--profile DIR]
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createExtractor } from '@shortlist/extract';
import {
  REPO_ROOT,
  deletePrefix,
  sharedDataDir,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';
import { cpuMeter } from './lib/cpu';
import { benchEnv, createBenchKey, tsx } from './lib/processes';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    /** Extraction threads per worker process (EXTRACT_THREADS). */
    threads: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});

async function main() {
  const data = sharedDataDir();
  if (!data) throw new Error('shared data folder not found (set SHORTLIST_DATA_DIR)');
  const root = join(data, 'livecareer-pdfs');
  const files: { name: string; bytes: Buffer }[] = [];
  for (const category of await readdir(root, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const name of await readdir(join(root, category.name)))
      if (name.endsWith('.pdf'))
        files.push({ name, bytes: await readFile(join(root, category.name, name)) });
  }
  const dir = await tempDir('bench-pdfs');
  const prefix = uniquePrefix('bench-pdf');
  const env = benchEnv(dir.path, prefix, { LOG_LEVEL: 'info', SCORER: 'local' });
  const key = createBenchKey(env);
  const procs: RunningProcess[] = [
    startProcess(process.execPath, tsx('apps/gateway/src/main.ts'), { cwd: REPO_ROOT, env }),
  ];
  const url = (await procs[0]!.waitFor(/"url":"(http:\/\/[^"]+)"/, 60_000))[1]!;
  for (let i = 0; i < Number(values.workers); i++) {
    const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    const worker = startProcess(
      process.execPath,
      [...profile, ...tsx('apps/resume-worker/src/main.ts')],
      {
        cwd: REPO_ROOT,
        env: { ...env, WORKER_CONCURRENCY: values.concurrency, EXTRACT_THREADS: values.threads },
      },
    );
    procs.push(worker);
    await worker.waitFor(/"opsPort":(\d+)/, 60_000);
  }
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const times: number[] = [];
  const baselines: number[] = [];
  const threads = Number(values.workers) * Number(values.threads);
  const extractAll = async () => {
    const extractor = createExtractor({ threads });
    const started = performance.now();
    await Promise.all(files.map((f) => extractor.extract(f.bytes)));
    const seconds = (performance.now() - started) / 1000;
    await extractor.close();
    return seconds;
  };
  try {
    for (let run = 0; run <= Number(values.runs); run++) {
      const job = await api('/v1/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Accountant',
          description:
            'Accountant to run month-end close, reconciliations, accounts payable and receivable, ' +
            'general ledger, financial statements and audits, with Excel and QuickBooks.',
        }),
      });
      const form = new FormData();
      for (const f of files)
        form.append('files', new Blob([f.bytes], { type: 'application/pdf' }), f.name);
      if (run > 0) {
        const baseline = await extractAll();
        baselines.push(baseline);
        process.stderr.write(
          `  extraction alone on ${threads} threads: ${baseline.toFixed(2)} s\n`,
        );
      }
      const meter = cpuMeter(
        Object.fromEntries(procs.map((p, i) => [i === 0 ? 'gateway' : `worker${i}`, p.pid])),
      );
      const started = performance.now();
      const upload = await api(`/v1/jobs/${String(job.id)}/batches`, {
        method: 'POST',
        body: form,
      });
      const batchId = (upload.batch as { id: string }).id;
      let batch: { finishedAt: string | null; counts: Record<string, number> };
      do {
        await new Promise((r) => setTimeout(r, 100));
        batch = (await api(`/v1/batches/${batchId}`)) as typeof batch;
      } while (!batch.finishedAt);
      const seconds = (performance.now() - started) / 1000;
      const cpu = meter();
      const workerCpu = Object.entries(cpu)
        .filter(([k]) => k.startsWith('worker'))
        .reduce((sum, [, v]) => sum + v, 0);
      process.stderr.write(
        `${run === 0 ? 'warm-up' : `run ${run}`}: ${files.length} PDFs in ${seconds.toFixed(2)} s ` +
          `(${JSON.stringify(batch.counts)}; CPU s gateway ${cpu.gateway!.toFixed(1)}, ` +
          `workers ${workerCpu.toFixed(1)}; load ${loadavg()[0]!.toFixed(1)})\n`,
      );
      if (run > 0) times.push(seconds);
    }
  } finally {
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 20_000)));
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir.remove();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  process.stdout.write(
    `${files.length} PDFs, ${values.workers} workers x ${values.concurrency} jobs x ${values.threads} ` +
      `extraction threads: median ${median(times).toFixed(2)} s of ${times.map((t) => t.toFixed(2)).join(', ')}; ` +
      `extraction alone median ${median(baselines).toFixed(2)} s; ratio ${(median(times) / median(baselines)).toFixed(2)}x\n`,
  );
}

void main();

/**
 * All real PDFs of `livecareer-pdfs` end to end with the local scorer: real gateway and
 * resume-worker processes; time from the start of the multipart upload to the batch's last result
 * (`finishedAt` seen by a client polling every 100 ms). Goal: <= 12 s for 806 PDFs.
 *
 *   node --import tsx bench/pipeline-pdfs.ts [--workers 2] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  sharedDataDir,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
  },
});
const tsx = (file: string) => ['--import', 'tsx', join(REPO_ROOT, file)];

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
  const env = {
    DATA_DIR: dir.path,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: '0',
    OPS_PORT: '0',
    WEB_DIR: 'off',
    LOG_LEVEL: 'info',
    SCORER: 'local',
  };
  const key = execFileSync(
    process.execPath,
    [...tsx('apps/gateway/src/admin.ts'), 'create-user', '--name', 'bench', '--role', 'admin'],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  ).trim();
  const procs: RunningProcess[] = [
    startProcess(process.execPath, tsx('apps/gateway/src/main.ts'), { cwd: REPO_ROOT, env }),
  ];
  const url = (await procs[0]!.waitFor(/"url":"(http:\/\/[^"]+)"/, 60_000))[1]!;
  for (let i = 0; i < Number(values.workers); i++) {
    const worker = startProcess(process.execPath, tsx('apps/resume-worker/src/main.ts'), {
      cwd: REPO_ROOT,
      env: { ...env, WORKER_CONCURRENCY: values.concurrency },
    });
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
      process.stderr.write(
        `${run === 0 ? 'warm-up' : `run ${run}`}: ${files.length} PDFs in ${seconds.toFixed(2)} s ` +
          `(${JSON.stringify(batch.counts)})\n`,
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
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `${files.length} PDFs, ${values.workers} workers x ${values.concurrency}: median ` +
      `${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(2)} s of ${times.map((t) => t.toFixed(2)).join(', ')}\n`,
  );
}

void main();

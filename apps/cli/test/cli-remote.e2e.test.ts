import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  deletePrefix,
  generateTextResumes,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';
import type { RankedReport } from '../src/output/ranked-row';
import { CLI_BIN, runCli } from './run-cli';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];

/**
 * Remote mode against the real stack: `shortlist serve` runs scripts/serve.mjs (Redis, gateway,
 * workers) on a temp DATA_DIR and a unique Redis prefix; the CLI drives it as a user would.
 */
describe('shortlist against a real server (real binary, real stack)', () => {
  let stack: RunningProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  let folder: string;
  let jobFile: string;
  let server: string;
  let key: string;
  const prefix = uniquePrefix('cli');
  const resumes = generateTextResumes(12, SKILLS, 7);
  const env = () => ({ SHORTLIST_SERVER: server, SHORTLIST_API_KEY: key, REDIS_PREFIX: prefix });

  beforeAll(async () => {
    dir = await tempDir('cli-remote');
    dataDir = join(dir.path, 'data');
    folder = join(dir.path, 'resumes');
    await mkdir(folder, { recursive: true });
    for (const r of resumes) await writeFile(join(folder, r.fileName), r.text);
    await writeFile(join(folder, 'empty.txt'), '');
    jobFile = join(dir.path, 'job.txt');
    await writeFile(
      jobFile,
      'Platform Engineer\nBuild backend services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.\n',
    );
    stack = startProcess(
      process.execPath,
      [CLI_BIN, 'serve', '--data-dir', dataDir, '--port', '0'],
      { env: { REDIS_PREFIX: prefix, LOG_LEVEL: 'info' }, label: 'shortlist serve' },
    );
    server = (await stack.waitFor(/running at (http:\/\/\S+)/, 60_000))[1]!;
    key = (await stack.waitFor(/API key: (sl_\S+)/))[1]!;
  }, 90_000);

  afterAll(async () => {
    const code = await stack?.stop('SIGTERM', 20_000);
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir?.remove();
    expect(code).toBe(0);
  }, 40_000);

  it('ranks a folder on the server: creates the job, uploads with progress, follows, prints the shortlist', async () => {
    const out = join(dir.path, 'remote.json');
    const run = await runCli(
      ['rank', '--job', jobFile, ...SKILLS.flatMap((s) => ['-c', s]), folder, '--out', out],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Created job job_\S+ on http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stderr).toMatch(/Uploading .*\d+\/\d+ KB \(100%\)/);
    expect(run.stderr).toMatch(
      /Uploaded 13 files in 1 batch \(bat_\S+\): 12 queued, 0 duplicate, 1 rejected/,
    );
    expect(run.stderr).toMatch(/Analysing 12\/12 files \(100%\)/);
    expect(run.stdout).toContain('empty.txt: The file is empty');

    const report = JSON.parse(await readFile(out, 'utf8')) as RankedReport;
    const scored = report.rows.filter((r) => r.score !== null);
    expect(scored).toHaveLength(12);
    expect(scored.every((r) => r.resumeId?.startsWith('res_'))).toBe(true);
    const matched = new Map(resumes.map((r) => [r.fileName, r.matched]));
    const inOrder = scored.map((r) => matched.get(r.file)!);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => b - a));
    expect(scored[0]!.score).toBe(100);
  }, 180_000);

  it('scripts the same in steps: jobs create, upload --no-follow, follow, results --out csv', async () => {
    const created = await runCli(['jobs', 'create', '--job', jobFile, '-c', 'TypeScript!,Redis'], {
      env: env(),
    });
    expect(created.code).toBe(0);
    const jobId = created.stdout.trim();
    expect(jobId).toMatch(/^job_\S+$/);

    const uploaded = await runCli(['upload', jobId, folder, '--no-follow'], { env: env() });
    expect(uploaded.code).toBe(0);
    const batchId = uploaded.stdout.trim();
    expect(batchId).toMatch(/^bat_\S+$/);
    expect(uploaded.stderr).toMatch(/rejected empty\.txt: The file is empty/);

    const followed = await runCli(['follow', batchId, '--json'], { env: env() });
    expect(followed.code).toBe(0);
    const [batch] = JSON.parse(followed.stdout) as {
      counts: Record<string, number>;
      finishedAt: string;
    }[];
    expect(batch!.finishedAt).toBeTruthy();
    expect(batch!.counts).toMatchObject({ total: 12, done: 12, failed: 0 });

    const csv = join(dir.path, 'shortlist.csv');
    const results = await runCli(['results', jobId, '--tier', 'shortlist', '--out', csv], {
      env: env(),
    });
    expect(results.code).toBe(0);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^rank,score,tier,name,email,file/);
    // TypeScript is required and Redis the other criterion: shortlisted resumes have both.
    const haveBoth = resumes.filter((r) => r.matched >= 3).length;
    expect(lines).toHaveLength(1 + haveBoth);
    expect(lines.slice(1).every((l) => l.includes(',shortlist,'))).toBe(true);

    const listed = await runCli(['jobs', 'list', '--json'], { env: env() });
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((j) => j.id)).toContain(jobId);
  }, 180_000);

  it('exits with the documented codes: 4 bad key, 5 no server, 6 unknown job', async () => {
    const badKey = await runCli(['jobs', 'list'], {
      env: { ...env(), SHORTLIST_API_KEY: 'sl_nope' },
    });
    expect(badKey.code).toBe(4);
    expect(badKey.stderr).toMatch(/refused the API key/);

    const port = await freePort();
    const down = await runCli(['jobs', 'list'], {
      env: { ...env(), SHORTLIST_SERVER: `http://127.0.0.1:${port}` },
    });
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(
      /Cannot reach the server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );

    const missing = await runCli(['results', 'job_does_not_exist'], { env: env() });
    expect(missing.code).toBe(6);
    expect(missing.stderr).toMatch(/404: No such job/);
  }, 180_000);

  it('manages keys in the local store the server uses: create, rotate and revoke take effect', async () => {
    const admin = (args: string[]) =>
      runCli(['admin', '--local', '--data-dir', dataDir, '--json', ...args], { env: env() });
    const as = (apiKey: string) =>
      runCli(['jobs', 'list'], { env: { ...env(), SHORTLIST_API_KEY: apiKey } });

    const created = await admin(['create-user', '--name', 'Rita Recruiter']);
    expect(created.code).toBe(0);
    const { userId, apiKey } = JSON.parse(created.stdout) as { userId: string; apiKey: string };
    expect((await as(apiKey)).code).toBe(0);

    const keys = JSON.parse((await admin(['list-keys', '--user', userId])).stdout) as {
      id: string;
      hash: string;
    }[];
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(apiKey);

    const rotated = await admin(['rotate-key', '--user', userId, keys[0]!.id]);
    expect(rotated.code).toBe(0);
    const { apiKey: newKey, key: newRecord } = JSON.parse(rotated.stdout) as {
      apiKey: string;
      key: { id: string };
    };
    expect((await as(apiKey)).code).toBe(4);
    expect((await as(newKey)).code).toBe(0);

    expect((await admin(['revoke-key', '--user', userId, newRecord.id])).code).toBe(0);
    expect((await as(newKey)).code).toBe(4);
    const again = await admin(['revoke-key', '--user', userId, newRecord.id]);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/already revoked/);
  }, 180_000);

  it('shows queue depths read from Redis', async () => {
    const run = await runCli(['admin', 'queues', '--local', '--json'], { env: env() });
    expect(run.code).toBe(0);
    const depths = JSON.parse(run.stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(depths).sort()).toEqual(['email-delivery', 'resume-analysis']);
    expect(depths['resume-analysis']!.completed).toBeGreaterThanOrEqual(24);
    expect(depths['resume-analysis']!.waiting).toBe(0);
  }, 30_000);
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTextResumes, startOpenAiServer, tempDir } from '@shortlist/testkit';
import type { RankedReport } from '../src/output/ranked-row';
import { runCli } from './run-cli';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];

/** `shortlist rank` in-process (no server, no Redis) on a folder whose truth is known by construction. */
describe('shortlist rank: a folder ranked offline in one command (real binary)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let folder: string;
  let job: string;
  const resumes = generateTextResumes(20, SKILLS);

  beforeAll(async () => {
    dir = await tempDir('cli-rank');
    folder = join(dir.path, 'resumes');
    await mkdir(join(folder, 'nested'), { recursive: true });
    for (const [i, r] of resumes.entries())
      await writeFile(join(folder, i % 2 ? 'nested' : '', r.fileName), r.text);
    // Unreadable files: listed with a reason, never a reason to stop.
    await writeFile(join(folder, 'empty.txt'), '');
    await writeFile(
      join(folder, 'photo.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    );
    await writeFile(
      join(folder, 'old-word.doc'),
      Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(600, 1),
      ]),
    );
    // Attacker-controlled names and text must come out inert in CSV and HTML.
    await writeFile(
      join(folder, '=1+2.txt'),
      `<script>alert(1)</script> TypeScript expert.\n${resumes[4]!.text}`,
    );
    await writeFile(
      join(folder, '<img src=x onerror=alert(1)>.txt'),
      `${resumes[3]!.text}\nMentoring.`,
    );
    await writeFile(join(folder, 'zz-copy-of-resume-000.txt'), resumes[0]!.text);
    await writeFile(join(folder, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    job = join(dir.path, 'job.txt');
    await writeFile(
      job,
      'Platform Engineer\n\nYou will build and run our backend services. We work in TypeScript on ' +
        'PostgreSQL and Redis, and deploy on Kubernetes.\n',
    );
  });
  afterAll(() => dir.remove());

  it('ranks every readable resume best first, lists unreadable files with reasons, and exits 0', async () => {
    const out = (ext: string) => join(dir.path, `results.${ext}`);
    const run = await runCli([
      'rank',
      '--job',
      job,
      ...SKILLS.flatMap((s) => ['-c', s]),
      folder,
      '--out',
      out('csv'),
      '--out',
      out('json'),
      '--out',
      out('html'),
      '--top',
      '0',
    ]);
    expect(run.code).toBe(0);

    const report = JSON.parse(await readFile(out('json'), 'utf8')) as RankedReport;
    const scored = report.rows.filter((r) => r.score !== null);
    expect(scored).toHaveLength(22);
    expect(scored.map((r) => r.rank)).toEqual(scored.map((_, i) => i + 1));
    const scores = scored.map((r) => r.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Truth by construction: more of the skills never ranks below fewer.
    const matched = new Map(resumes.map((r) => [r.fileName, r.matched]));
    const inOrder = scored
      .filter((r) => matched.has(r.file.replace(/^nested\//, '')))
      .map((r) => matched.get(r.file.replace(/^nested\//, ''))!);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => b - a));
    expect(scored[0]!.score).toBe(100);
    expect(scored[0]!.tier).toBe('shortlist');

    const unscored = Object.fromEntries(
      report.rows.filter((r) => r.score === null).map((r) => [r.file, r.error]),
    );
    expect(Object.keys(unscored).sort()).toEqual([
      'empty.txt',
      'old-word.doc',
      'photo.png',
      'zz-copy-of-resume-000.txt',
    ]);
    expect(unscored['zz-copy-of-resume-000.txt']).toBe('Same file as resume-000.txt; scored once.');
    expect(unscored['empty.txt']).toMatch(/empty/);
    expect(unscored['old-word.doc']).toMatch(/\.doc/);
    expect(unscored['photo.png']).toMatch(/not a resume format/);

    // The table on stdout: rank, score, tier, name, matched, missing, warnings; then the unreadable.
    expect(run.stdout).toMatch(/#.*score.*tier.*name.*matched.*missing.*warnings/);
    expect(run.stdout).toMatch(/Not ranked \(4\):\n(\s+\S+: .+\n){4}/);
    expect(run.stdout).toContain('old-word.doc: Old Word (.doc) files cannot be read');
    expect(run.stderr).toMatch(
      /Ranked 22 of 26 files in [\d.]+s: \d+ shortlist, \d+ maybe, \d+ reject; 4 not ranked/,
    );

    const csv = await readFile(out('csv'), 'utf8');
    expect(csv).toContain(",'=1+2.txt,");
    expect(csv.split('\n')).toHaveLength(26 + 2);
    const html = await readFile(out('html'), 'utf8');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.txt');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<img|<script/i);
  });

  it('exits 3 when no file in the folder is a readable resume', async () => {
    const junk = join(dir.path, 'junk');
    await mkdir(junk);
    await writeFile(join(junk, 'empty.txt'), '');
    const run = await runCli(['rank', '--job', job, junk]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('empty.txt: The file is empty');
    expect(run.stderr).toMatch(/No file could be ranked/);
  });

  it('prints machine-readable JSON with --json and keeps progress off stdout', async () => {
    const run = await runCli(['rank', '--job', job, folder, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as RankedReport;
    expect(report.job.title).toBe('Platform Engineer');
    expect(report.rows).toHaveLength(26);
  });

  it('scores with an OpenAI-compatible model when given one, through the real SDK', async () => {
    const llm = await startOpenAiServer({ models: ['gpt-4o-mini'] });
    try {
      const run = await runCli(
        ['rank', '--job', job, ...SKILLS.flatMap((s) => ['-c', s]), folder, '--json'],
        { env: { OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-4o-mini', SCORER: 'local' } },
      );
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as RankedReport).model).not.toBe('gpt-4o-mini');
      expect(llm.chatRequests()).toHaveLength(0);

      const viaLlm = await runCli(
        [
          'rank',
          '--job',
          job,
          ...SKILLS.flatMap((s) => ['-c', s]),
          folder,
          '--json',
          '--llm-url',
          llm.url,
        ],
        { env: { OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-4o-mini' } },
      );
      expect(viaLlm.code).toBe(0);
      const report = JSON.parse(viaLlm.stdout) as RankedReport;
      expect(report.model).toBe('gpt-4o-mini');
      const scored = report.rows.filter((r) => r.score !== null);
      expect(scored).toHaveLength(22);
      // One request per readable, distinct resume; the duplicate and unreadable files cost nothing.
      expect(llm.chatRequests()).toHaveLength(22);
      const matched = new Map(resumes.map((r) => [r.fileName, r.matched]));
      const inOrder = scored
        .filter((r) => matched.has(r.file.replace(/^nested\//, '')))
        .map((r) => matched.get(r.file.replace(/^nested\//, ''))!);
      expect(inOrder).toEqual([...inOrder].sort((a, b) => b - a));
    } finally {
      await llm.close();
    }
  });

  it('names the variable when the model configuration cannot work (exit 78)', async () => {
    const run = await runCli(['rank', '--job', job, folder, '--scorer', 'openai'], {
      env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/OPENAI_API_KEY: is required/);
  });
});

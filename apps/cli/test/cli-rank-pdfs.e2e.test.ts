import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REPO_ROOT,
  generateResumeSpecs,
  resumePdf,
  sharedDataDir,
  tempDir,
  truncateBytes,
} from '@shortlist/testkit';
import type { RankedReport } from '../src/output/ranked-row';
import { runCli } from './run-cli';

const TARGET = 'INFORMATION-TECHNOLOGY';
const OTHERS = ['CHEF', 'TEACHER', 'AVIATION', 'HR'];
const PER_CATEGORY = 10;

/** Real resume PDFs of five categories (10 each) from ../shared/data, sorted so runs repeat. */
async function copySharedPdfs(source: string, folder: string): Promise<void> {
  for (const category of [TARGET, ...OTHERS]) {
    const from = join(source, 'livecareer-pdfs', category);
    const files = (await readdir(from)).filter((f) => f.endsWith('.pdf')).sort();
    await mkdir(join(folder, category));
    for (const file of files.slice(0, PER_CATEGORY))
      await copyFile(join(from, file), join(folder, category, file));
  }
}

/** Without ../shared/data: generated PDFs whose skills say which category they belong to. */
async function writeGeneratedPdfs(folder: string): Promise<void> {
  const vocab: Record<string, string[]> = {
    [TARGET]: ['Active Directory', 'Windows Server', 'VMware', 'TCP/IP', 'DNS', 'help desk'],
    CHEF: ['menu planning', 'food safety', 'kitchen staff', 'catering', 'pastry'],
    TEACHER: ['lesson plans', 'classroom management', 'curriculum', 'students', 'grading'],
    AVIATION: ['aircraft maintenance', 'FAA regulations', 'avionics', 'flight line'],
    HR: ['recruiting', 'onboarding', 'payroll', 'benefits administration', 'employee relations'],
  };
  const specs = generateResumeSpecs(PER_CATEGORY * 5, { seed: 11 });
  for (const [c, category] of [TARGET, ...OTHERS].entries()) {
    await mkdir(join(folder, category));
    for (let i = 0; i < PER_CATEGORY; i++) {
      const words = vocab[category]!;
      const spec = {
        ...specs[c * PER_CATEGORY + i]!,
        summary: `Experienced professional: ${words.join(', ')}.`,
        skills: words,
      };
      await writeFile(join(folder, category, `${i}.pdf`), await resumePdf(spec));
    }
  }
}

/**
 * `shortlist rank` on 50 real PDFs: the same extraction as the workers, the local scorer, and a
 * job written as a recruiter would (bench/jobs): the right category must come out on top.
 */
describe('shortlist rank: 50 resume PDFs of five categories (real binary)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let folder: string;

  beforeAll(async () => {
    dir = await tempDir('cli-rank-pdfs');
    folder = join(dir.path, 'resumes');
    await mkdir(folder);
    const shared = sharedDataDir();
    if (shared) await copySharedPdfs(shared, folder);
    else await writeGeneratedPdfs(folder);
    // A PDF cut off mid-file: listed with a reason, the other 50 still ranked.
    const whole = await resumePdf(generateResumeSpecs(1, { seed: 3 })[0]!);
    await writeFile(join(folder, 'cut-off.pdf'), truncateBytes(whole, 0.4));
  });
  afterAll(() => dir.remove());

  it('puts same-category resumes on top (precision@10 >= 0.8) and lists the broken PDF', async () => {
    const out = join(dir.path, 'results.json');
    const run = await runCli(
      [
        'rank',
        '--job',
        join(REPO_ROOT, 'bench', 'jobs', `${TARGET}.md`),
        folder,
        '--out',
        out,
        '--no-progress',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as RankedReport;
    const ranked = report.rows.filter((row) => row.rank !== null);
    expect(ranked).toHaveLength(PER_CATEGORY * 5);
    // Text really came out of the PDFs: evidence quotes are words, not PDF syntax.
    const evidence = ranked.flatMap((row) => row.criteria.map((c) => c.evidence ?? ''));
    expect(evidence.join(' ')).not.toMatch(/endobj|FlateDecode|\/Type/);
    const top10 = ranked.slice(0, 10);
    const relevant = top10.filter((row) => row.file.startsWith(`${TARGET}/`)).length;
    expect(relevant / 10).toBeGreaterThanOrEqual(0.8);

    const broken = report.rows.find((row) => row.file === 'cut-off.pdf');
    expect(broken).toMatchObject({ rank: null, status: 'failed' });
    expect(broken!.error).toMatch(/\w+ \w+/);
    expect(run.stdout).toContain('cut-off.pdf');
  }, 300_000);
});

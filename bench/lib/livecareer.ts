import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, sharedDataDir } from '@shortlist/testkit';

/** One real resume of the livecareer set, with its text already extracted. */
export interface LabelledResume {
  id: string;
  category: string;
  text: string;
}

const CACHE_DIR = join(REPO_ROOT, 'bench', '.cache');
const CACHE_FILE = join(CACHE_DIR, 'livecareer-texts.json');

/** Where the livecareer PDFs are, or null (the benchmark then says so and exits). */
export function livecareerDir(): string | null {
  const base = sharedDataDir();
  const dir = base ? join(base, 'livecareer-pdfs') : null;
  return dir && existsSync(join(dir, 'index.csv')) ? dir : null;
}

/**
 * The 806 livecareer resumes as text. PDFs are extracted once with unpdf (the extract package
 * was not on main when this benchmark was written) and cached under bench/.cache (gitignored),
 * so reruns take a second instead of a minute.
 */
export async function loadLivecareer(dir: string): Promise<LabelledResume[]> {
  if (existsSync(CACHE_FILE)) {
    return JSON.parse(await readFile(CACHE_FILE, 'utf8')) as LabelledResume[];
  }
  const { extractText, getDocumentProxy } = await import('unpdf');
  const rows = (await readFile(join(dir, 'index.csv'), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const resumes: LabelledResume[] = [];
  for (const [id, category, path] of rows) {
    const bytes = new Uint8Array(await readFile(join(dir, path!)));
    const pdf = await getDocumentProxy(bytes);
    const { text } = await extractText(pdf, { mergePages: true });
    resumes.push({ id: id!, category: category!, text });
  }
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(CACHE_FILE, JSON.stringify(resumes));
  return resumes;
}

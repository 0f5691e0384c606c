import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedDataDir } from '@shortlist/testkit';
import { createExtractor } from './extractor';

const dataDir = sharedDataDir();
const folder = dataDir ? join(dataDir, 'livecareer-pdfs') : null;
const files = (() => {
  try {
    return folder
      ? readdirSync(folder, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .flatMap((d) =>
            readdirSync(join(folder, d.name))
              .filter((f) => f.endsWith('.pdf'))
              .map((f) => join(d.name, f)),
          )
          .sort()
      : [];
  } catch {
    return [];
  }
})();

const maybe = files.length > 0 ? describe : describe.skip;
if (files.length === 0)
  process.stderr.write(
    'livecareer.int.test: skipped — no livecareer-pdfs folder in the shared data (set SHORTLIST_DATA_DIR)\n',
  );

maybe('real resumes: every PDF in livecareer-pdfs', () => {
  it('reads >= 97% with verdict ok and non-empty skills and experience sections', async () => {
    const extractor = createExtractor({ threads: 2 });
    const failures: string[] = [];
    try {
      await Promise.all(
        files.map(async (file) => {
          const result = await extractor.extract(await readFile(join(folder!, file)));
          const problem =
            result.verdict !== 'ok'
              ? `verdict ${result.verdict} (${result.reason})`
              : !result.profile.sections.skills
                ? 'no skills section'
                : !result.profile.sections.experience
                  ? 'no experience section'
                  : null;
          if (problem) failures.push(`${file}: ${problem}`);
        }),
      );
    } finally {
      await extractor.close();
    }
    failures.sort();
    process.stderr.write(
      `livecareer: ${files.length - failures.length}/${files.length} ok with skills and experience; failures:\n  ${failures.join('\n  ')}\n`,
    );
    expect(files.length).toBeGreaterThanOrEqual(800);
    expect(failures.length / files.length).toBeLessThanOrEqual(0.03);
  }, 600_000);
});

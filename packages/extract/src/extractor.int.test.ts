import {
  FIXTURE_NOW,
  generateResumeSpecs,
  resumeDocx,
  resumePdf,
  resumeText,
  slowPdf,
} from '@shortlist/testkit';
import { createExtractor, type Extractor } from './extractor';

describe('createExtractor (worker threads)', () => {
  let extractor: Extractor | null = null;
  afterEach(async () => {
    await extractor?.close();
    extractor = null;
  });

  it('reads files in two threads with the same results as on the calling thread', async () => {
    const specs = generateResumeSpecs(4);
    const files = await Promise.all(
      specs.map((spec, i) =>
        i % 2 === 0
          ? resumePdf(spec, { layout: i === 2 ? 'two-column' : 'one-column' })
          : resumeDocx(spec),
      ),
    );
    extractor = createExtractor({ threads: 2 });
    const inline = createExtractor({ threads: 0 });
    const threaded = await Promise.all(
      files.map((f) => extractor!.extract(f, { now: FIXTURE_NOW })),
    );
    const direct = await Promise.all(files.map((f) => inline.extract(f, { now: FIXTURE_NOW })));
    await inline.close();
    threaded.forEach((result, i) => {
      expect(result.verdict).toBe('ok');
      expect(result.profile.email).toBe(specs[i]!.email);
      expect(result.profile.yearsExperience).toBe(specs[i]!.yearsExperience);
      expect({ ...result, durationMs: 0 }).toEqual({ ...direct[i]!, durationMs: 0 });
    });
  });

  it('gives up on a file over the time limit, replaces the thread and reads the next file', async () => {
    // The slow file needs ~20 s; the limit leaves the next (tiny) file room on a busy machine.
    extractor = createExtractor({ threads: 1, timeoutMs: 2_000 });
    const slow = await extractor.extract(slowPdf(2_000_000));
    expect(slow).toMatchObject({ kind: 'pdf', verdict: 'corrupt', text: '' });
    expect(slow.reason).toBe(
      'Reading the file took longer than 2 s; it may be damaged or unusually complex.',
    );
    const [spec] = generateResumeSpecs(1);
    const next = await extractor.extract(Buffer.from(resumeText(spec!)), { now: FIXTURE_NOW });
    expect(next).toMatchObject({ verdict: 'ok', profile: { email: spec!.email } });
  });

  it('finishes files in hand on close, then refuses new ones', async () => {
    extractor = createExtractor({ threads: 1 });
    const [spec] = generateResumeSpecs(1);
    const pending = extractor.extract(await resumePdf(spec!));
    await extractor.close();
    await expect(pending).resolves.toMatchObject({ verdict: 'ok' });
    await expect(extractor.extract(Buffer.from('hello'))).rejects.toThrow('closed');
  });
});

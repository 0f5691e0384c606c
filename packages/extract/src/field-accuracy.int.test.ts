import {
  FIXTURE_NOW,
  generateResumeSpecs,
  resumeDocx,
  resumeHtml,
  resumePdf,
  resumeText,
  type ResumeSpec,
} from '@shortlist/testkit';
import { createExtractor } from './extractor';

/** Renders each spec in a format chosen by its index; CJK names only where a font is not needed. */
async function render(spec: ResumeSpec, i: number): Promise<{ format: string; bytes: Uint8Array }> {
  const cjk = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}]/u.test(spec.name);
  switch (cjk ? 2 + (i % 3) : i % 5) {
    case 0:
      return { format: 'pdf one-column', bytes: await resumePdf(spec) };
    case 1:
      return { format: 'pdf two-column', bytes: await resumePdf(spec, { layout: 'two-column' }) };
    case 2:
      return { format: 'docx tables', bytes: await resumeDocx(spec, { tables: true }) };
    case 3:
      return { format: 'docx', bytes: await resumeDocx(spec) };
    default:
      return {
        format: i % 2 ? 'html' : 'text',
        bytes: Buffer.from(i % 2 ? resumeHtml(spec) : resumeText(spec)),
      };
  }
}

describe('field accuracy on generated resumes (truth known by construction)', () => {
  it('meets the targets: email/phone/links 100%, name >= 95%, years within 1 >= 90%', async () => {
    const specs = generateResumeSpecs(60, { cjk: true, seed: 11 });
    const extractor = createExtractor({ threads: 2 });
    const misses: Record<'email' | 'phone' | 'links' | 'name' | 'years', string[]> = {
      email: [],
      phone: [],
      links: [],
      name: [],
      years: [],
    };
    try {
      await Promise.all(
        specs.map(async (spec, i) => {
          const { format, bytes } = await render(spec, i);
          const { verdict, profile } = await extractor.extract(bytes, { now: FIXTURE_NOW });
          const label = `#${i} ${format}`;
          expect([label, verdict]).toEqual([label, 'ok']);
          if (profile.email !== spec.email) misses.email.push(`${label}: ${profile.email}`);
          if (profile.phone !== spec.phone) misses.phone.push(`${label}: ${profile.phone}`);
          if (JSON.stringify(profile.links) !== JSON.stringify(spec.links))
            misses.links.push(`${label}: ${JSON.stringify(profile.links)}`);
          if (profile.name !== spec.name) misses.name.push(`${label}: ${profile.name}`);
          if (
            profile.yearsExperience === null ||
            Math.abs(profile.yearsExperience - spec.yearsExperience) > 1
          )
            misses.years.push(`${label}: ${profile.yearsExperience} vs ${spec.yearsExperience}`);
        }),
      );
    } finally {
      await extractor.close();
    }
    expect({ email: misses.email, phone: misses.phone, links: misses.links }).toEqual({
      email: [],
      phone: [],
      links: [],
    });
    expect(misses.name.length / specs.length).toBeLessThanOrEqual(0.05);
    expect(misses.years.length / specs.length).toBeLessThanOrEqual(0.1);
  });
});

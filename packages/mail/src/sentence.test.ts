import { cleanSentence, MAX_SENTENCE_CHARS } from './sentence';

describe('cleanSentence', () => {
  it('keeps a plain sentence, adding the full stop it lacks', () => {
    expect(cleanSentence('Your Spark and Airflow work stood out')).toBe(
      'Your Spark and Airflow work stood out.',
    );
    expect(cleanSentence('  "Your ASP.NET and C# work stood out!"  ')).toBe(
      'Your ASP.NET and C# work stood out!',
    );
  });

  it('turns every line break and control character into one space', () => {
    const cleaned = cleanSentence('Your Go\r\nBcc: all@x\u2028and\u0085Rust\tstood\u0000out.');
    expect(cleaned).toBeNull(); // the address that came with it is refused as a whole
    expect(cleanSentence('Your Go\r\nand\u2028Rust\u0085work\tstood\u0000out.')).toBe(
      'Your Go and Rust work stood out.',
    );
    expect(cleanSentence('Your\u200b Go\u202e work stood out.')).toBe('Your Go work stood out.');
  });

  it.each([
    ['markup', 'Your <b>Go</b> work stood out.'],
    ['a template tag', 'Your {{candidateName}} work stood out.'],
    ['a link', 'See https://evil.test for more.'],
    ['a bare www link', 'Visit www.evil.test today.'],
    ['an email address', 'Write to jane.doe@example.com about your Go work.'],
    ['a phone number', 'Call +44 20 7946 0958 about your Go work.'],
    ['too long', `Your ${'Go '.repeat(MAX_SENTENCE_CHARS)}work stood out.`],
    ['empty', '  \r\n '],
  ])('refuses %s', (_what, raw) => {
    expect(cleanSentence(raw)).toBeNull();
  });

  it('keeps years and version numbers, which are not phone numbers', () => {
    expect(cleanSentence('Your Java 17 work from 2019-2023 stood out.')).toBe(
      'Your Java 17 work from 2019-2023 stood out.',
    );
  });
});

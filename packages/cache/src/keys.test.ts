import {
  analysisKey,
  companyKey,
  criteriaKey,
  inScope,
  invalidationPatterns,
  jobKey,
  namespaceOf,
  normaliseText,
  noteKey,
  textHash,
} from './keys';

describe('cache keys', () => {
  const hash = textHash('Jane Doe\nTypeScript engineer');

  it('builds the analysis key from job, version, model, prompt version, blind flag and text hash', () => {
    expect(
      analysisKey({
        jobId: 'job_1',
        jobVersion: 3,
        model: 'gpt-4o-mini',
        promptVersion: 'p2',
        blind: false,
        textHash: 'abc123',
      }),
    ).toBe('analysis:job_1:v3:gpt-4o-mini:p2:b0:abc123');
    expect(
      analysisKey({
        jobId: 'job_1',
        jobVersion: 4,
        model: 'llama3:8b',
        promptVersion: 'p*2',
        blind: true,
        textHash: 'abc123',
      }),
    ).toBe('analysis:job_1:v4:llama3%3A8b:p%2A2:b1:abc123');
  });

  it('builds criteria and job keys', () => {
    expect(criteriaKey({ model: 'm', promptVersion: 'c1', description: ' Go  dev ' })).toBe(
      `criteria:m:c1:${textHash('Go dev')}`,
    );
    expect(jobKey({ jobId: 'job_9', jobVersion: 2 })).toBe('job:job_9:v2');
  });

  it('builds note and company keys, notes findable by job', () => {
    const key = noteKey({
      jobId: 'job_1',
      jobVersion: 2,
      resumeId: 'res_1',
      resumeHash: 'ab'.repeat(32),
      writer: 'llm:gpt-4o-mini:n1',
      templateHash: 't1',
    });
    expect(key).toBe(`note:job_1:v2:res_1:${'ab'.repeat(8)}:llm%3Agpt-4o-mini%3An1:t1`);
    expect(namespaceOf(key)).toBe('note');
    expect(inScope(key, { kind: 'job', jobId: 'job_1' })).toBe(true);
    expect(inScope(key, { kind: 'job', jobId: 'job_2' })).toBe(false);
    expect(companyKey({ extractor: 'local-v1', description: ' Acme  Corp ' })).toBe(
      `company:local-v1:${textHash('Acme Corp')}`,
    );
  });

  it('hashes texts that read the same to one key, and different texts to different keys', () => {
    expect(normaliseText('  Jane\u200b Doe \r\n\r\n\r\nTypeScript\t engineer  ')).toBe(
      'Jane Doe\n\nTypeScript engineer',
    );
    expect(textHash('Jane Doe\r\nTypeScript   engineer')).toBe(hash);
    expect(textHash('jane doe\nTypeScript engineer')).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives SCAN patterns and an exact segment check for each invalidation scope', () => {
    expect(invalidationPatterns({ kind: 'job', jobId: 'job_1' })).toEqual([
      'analysis:job_1:*',
      'job:job_1:*',
      'note:job_1:*',
    ]);
    expect(invalidationPatterns({ kind: 'promptVersion', promptVersion: 'p2' })).toEqual([
      'analysis:*:*:*:p2:*',
      'criteria:*:p2:*',
    ]);
    expect(invalidationPatterns({ kind: 'all' })).toEqual([
      'analysis:*',
      'criteria:*',
      'job:*',
      'note:*',
      'company:*',
    ]);
    const key = 'analysis:job_1:v3:p2:p1:b0:h';
    expect(inScope(key, { kind: 'promptVersion', promptVersion: 'p1' })).toBe(true);
    expect(inScope(key, { kind: 'promptVersion', promptVersion: 'p2' })).toBe(false);
    expect(inScope(key, { kind: 'job', jobId: 'job_1' })).toBe(true);
    expect(inScope(key, { kind: 'job', jobId: 'job_10' })).toBe(false);
  });

  it('knows the namespace of a key and rejects unknown ones', () => {
    expect(namespaceOf('job:job_9:v2')).toBe('job');
    expect(() => namespaceOf('other:x')).toThrow('no known namespace');
  });
});

import { PassThrough } from 'node:stream';
import { createLogger } from './logger';
import { redact, redactString } from './redact';

describe('redaction', () => {
  it('scrubs emails, phone numbers, bearer tokens and key-like strings from text', () => {
    const out = redactString(
      'mail jane.doe@example.com or call +1 (415) 555-0132, auth Bearer abc.def.ghi key sk-live_1234567890abcdef',
    );
    expect(out).not.toContain('jane.doe@example.com');
    expect(out).not.toContain('555-0132');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain('sk-live_1234567890abcdef');
    expect(out).toContain('[email]');
    expect(out).toContain('[phone]');
  });

  it('keeps ids whose random part holds a long run of digits', () => {
    const id = 'res_0mx98hhvx001_ff7729328997';
    expect(redactString(`erased ${id}`)).toBe(`erased ${id}`);
    expect(redactString('id 4f_415555014299 x')).toBe('id 4f_415555014299 x');
    expect(redactString('call 4155550142 or (212) 555-0187')).toBe('call [phone] or [phone]');
    expect(redactString('erased res_tel_4155550142 and ab_ph415555014299')).toBe(
      'erased res_tel_4155550142 and ab_ph415555014299',
    );
  });

  it('scrubs a phone number glued to its label, as resumes extracted from PDFs often have it', () => {
    expect(redactString('Tel4155550142 Mobile+44 20 7946 0958 PHONE(212) 555-0187')).toBe(
      'Tel[phone] Mobile[phone] PHONE[phone]',
    );
  });

  it('keeps short numbers such as years and counts', () => {
    expect(redactString('processed 2024 files in 35 ms')).toBe('processed 2024 files in 35 ms');
  });

  it('drops secret-named fields whatever their content, at any depth', () => {
    const safe = redact({
      headers: { Authorization: 'Bearer x', 'x-api-key': 'k' },
      resume: { text: 'John Smith, Java developer' },
      count: 3,
    }) as Record<string, Record<string, unknown>>;
    expect(safe.headers).toEqual({ Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' });
    expect(safe.resume).toEqual({ text: '[REDACTED]' });
    expect(safe.count).toBe(3);
  });

  it('applies to every line the logger writes, including messages and errors', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ component: 'test', stream });
    logger.info('sent invite to ann@example.org', { email: 'ann@example.org', requestId: 'r1' });
    logger.error('failed', { error: new Error('SMTP said no to bob@example.org') });
    const all = lines.join('');
    expect(all).not.toContain('@example.org');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      component: 'test',
      requestId: 'r1',
      email: '[REDACTED]',
    });
  });
});

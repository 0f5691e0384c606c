import { decodeText } from './formats/text';
import { sniff } from './sniff';

describe('sniff', () => {
  it('judges by content, not name', () => {
    expect(sniff(Buffer.from('%PDF-1.7\n...')).kind).toBe('pdf');
    expect(sniff(Buffer.from('Jane Doe\nSoftware engineer')).kind).toBe('text');
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0])).kind).toBe(
      'unknown',
    );
    expect(sniff(new Uint8Array()).kind).toBe('empty');
  });

  it('decodes UTF-8, UTF-16 with BOM and Latin-1', () => {
    expect(decodeText(Buffer.from('José Müller', 'utf8'))).toBe('José Müller');
    expect(
      decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë', 'utf16le')])),
    ).toBe('Zoë');
    expect(decodeText(Buffer.from('Ren\xe9', 'latin1'))).toBe('René');
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TEXT_ONLY_EDITS, applyTextOnlyEdits, textOnlyPdfjsBundle } from './pdfjs-bundle';

const installed = join(dirname(require.resolve('unpdf')), 'pdfjs.mjs');

describe('the text-only pdf.js bundle', () => {
  it('applies every edit to the installed unpdf bundle (an upgrade that breaks one fails here)', () => {
    const source = readFileSync(installed, 'utf8');
    const edited = applyTextOnlyEdits(source);
    expect(edited).not.toBeNull();
    for (const { to } of TEXT_ONLY_EDITS) expect(edited!.includes(to)).toBe(true);
    expect(edited!.length).toBe(
      source.length + TEXT_ONLY_EDITS.reduce((sum, e) => sum + e.to.length - e.from.length, 0),
    );
  });

  it('loads the edited copy, written once and named by its content', () => {
    const first = textOnlyPdfjsBundle(installed);
    const again = textOnlyPdfjsBundle(installed);
    expect(first.edited).toBe(true);
    expect(again.path).toBe(first.path);
    expect(first.path).toMatch(/pdfjs\.text-only\.[0-9a-f]{16}\.mjs$/);
    expect(readFileSync(first.path, 'utf8')).toBe(
      applyTextOnlyEdits(readFileSync(installed, 'utf8')),
    );
  });

  it('refuses a bundle where an edit matches twice or not at all', () => {
    const { from } = TEXT_ONLY_EDITS[0]!;
    const others = TEXT_ONLY_EDITS.slice(1)
      .map((e) => e.from)
      .join(';');
    expect(applyTextOnlyEdits(`${from};${from};${others}`)).toBeNull();
    expect(applyTextOnlyEdits(others)).toBeNull();
  });
});

import { findQuote, segmentText } from './highlight';

describe('evidence highlighting', () => {
  const text =
    'Jane Roe\n\nBuilt   services in TypeScript\non PostgreSQL — 6 years.\nLed “Platform” team.';

  it('finds a quote across line breaks, extra spaces and case', () => {
    const found = findQuote(text, 'built services in typescript on postgresql');
    expect(found).not.toBeNull();
    expect(text.slice(found!.start, found!.end)).toBe(
      'Built   services in TypeScript\non PostgreSQL',
    );
  });

  it('matches typographic quotes and dashes written plainly, and ignores a trailing ellipsis', () => {
    expect(text.slice(...span(findQuote(text, 'PostgreSQL - 6 years...')))).toBe(
      'PostgreSQL — 6 years',
    );
    expect(text.slice(...span(findQuote(text, 'Led "Platform" team')))).toBe('Led “Platform” team');
  });

  it('returns null for quotes that are not in the text or too short to mean anything', () => {
    expect(findQuote(text, 'Kubernetes')).toBeNull();
    expect(findQuote(text, 'a')).toBeNull();
  });

  it('splits text into plain and highlighted segments that join back to the original', () => {
    const segments = segmentText(text, ['TypeScript', null, 'Led “Platform” team', 'missing']);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.quote !== null)).toEqual([
      { text: 'TypeScript', quote: 0 },
      { text: 'Led “Platform” team', quote: 2 },
    ]);
  });

  it('never highlights the same characters twice when quotes overlap', () => {
    const segments = segmentText('alpha beta gamma', ['alpha beta', 'beta gamma']);
    expect(segments).toEqual([
      { text: 'alpha beta', quote: 0 },
      { text: ' gamma', quote: 1 },
    ]);
  });
});

function span(found: { start: number; end: number } | null): [number, number] {
  if (!found) throw new Error('quote not found');
  return [found.start, found.end];
}

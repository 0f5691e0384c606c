import { exportFormatFor, neutraliseFormula, toCsv } from './export';
import { escapeHtml, renderHtmlReport } from './html-report';
import type { RankedReport, RankedRow } from './ranked-row';

const row = (over: Partial<RankedRow>): RankedRow => ({
  rank: 1,
  file: 'a.pdf',
  name: 'Ana Silva',
  email: 'ana@example.com',
  status: 'done',
  score: 80,
  tier: 'shortlist',
  criteria: [
    {
      name: 'TypeScript',
      weight: 2,
      required: true,
      met: 'yes',
      evidence: 'Built APIs in TypeScript.',
    },
    { name: 'Kafka', weight: 1, required: false, met: 'no', evidence: null },
  ],
  summary: 'Meets 1 of 2 criteria.',
  warnings: [],
  error: null,
  ...over,
});

const report = (rows: RankedRow[]): RankedReport => ({
  job: {
    title: 'Backend <engineer>',
    description: 'd',
    criteria: [{ name: 'TypeScript', weight: 2, required: true }],
  },
  model: 'local',
  generatedAt: '2026-01-01T00:00:00.000Z',
  rows,
});

describe('CSV export', () => {
  it('neutralises every formula trigger a spreadsheet would run', () => {
    for (const bad of ['=1+2', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    expect(neutraliseFormula('Ana = 1')).toBe('Ana = 1');
  });

  it('writes no cell that starts with a formula character', () => {
    const csv = toCsv(
      report([
        row({
          name: '=HYPERLINK("http://evil.example","click")',
          file: '@evil.pdf',
          email: '+1@x.io',
        }),
        row({
          rank: null,
          score: null,
          tier: null,
          status: 'failed',
          criteria: [],
          error: '-bad file',
          file: 'b.txt',
        }),
      ]),
    );
    const cells = csv
      .split(/\r?\n/)
      .slice(1)
      .join(',')
      .split(',')
      .map((c) => c.replace(/^"/, ''));
    expect(cells.some((c) => /^[=+\-@\t\r]/.test(c))).toBe(false);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain("'@evil.pdf");
    expect(csv.split('\n')[0]).toBe(
      'rank,score,tier,name,email,file,status,matched,partial,missing,warnings,summary,error',
    );
  });
});

describe('HTML report', () => {
  it('escapes resume-derived text so nothing in a resume can run or inject markup', () => {
    const html = renderHtmlReport(
      report([
        row({
          name: '<img src=x onerror=alert(1)>',
          file: '"><script>alert(2)</script>.pdf',
          criteria: [
            {
              name: 'TS',
              weight: 1,
              required: false,
              met: 'yes',
              evidence: "</q><script>alert('3')</script>",
            },
          ],
          warnings: ['<b>hidden</b>'],
        }),
      ]),
    );
    expect(html).not.toMatch(/<script|<img|<b>hidden/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/q&gt;&lt;script&gt;alert(&#39;3&#39;)&lt;/script&gt;');
    expect(html).toContain('<title>Shortlist: Backend &lt;engineer&gt;</title>');
    expect(html).toContain("default-src 'none'");
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('export format', () => {
  it('comes from --format or the extension, and refuses anything else', () => {
    expect(exportFormatFor('out/results.CSV')).toBe('csv');
    expect(exportFormatFor('results.txt', 'json')).toBe('json');
    expect(() => exportFormatFor('results.xlsx')).toThrow(/csv, .json or .html/);
  });
});

import type { CriterionVerdict } from '@shortlist/contracts';
import type { RankedReport, RankedRow } from './ranked-row';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

const MET_LABEL: Record<CriterionVerdict['met'], string> = {
  yes: 'met',
  partial: 'partly met',
  no: 'missing',
};

function criteriaList(row: RankedRow): string {
  if (row.criteria.length === 0) return '';
  const items = row.criteria
    .map(
      (c) =>
        `<li class="${c.met}"><b>${escapeHtml(c.name)}</b> <span class="met">${MET_LABEL[c.met]}${
          c.required ? ', required' : ''
        }</span>${c.evidence ? `<q>${escapeHtml(c.evidence)}</q>` : ''}</li>`,
    )
    .join('');
  return `<details><summary>Evidence</summary><ul class="criteria">${items}</ul></details>`;
}

function rowHtml(row: RankedRow): string {
  const tier = row.tier ?? 'unscored';
  const matched = row.criteria.filter((c) => c.met === 'yes').map((c) => c.name);
  const missing = row.criteria.filter((c) => c.met === 'no').map((c) => c.name);
  const warnings = [...row.warnings, ...(row.error ? [row.error] : [])];
  return `<tr class="${escapeHtml(tier)}">
<td class="num">${row.rank ?? '–'}</td>
<td class="num">${row.score === null ? '–' : `${escapeHtml(row.score)}<meter min="0" max="100" value="${escapeHtml(row.score)}"></meter>`}</td>
<td><span class="tier">${escapeHtml(tier)}</span></td>
<td><div class="name">${escapeHtml(row.name ?? row.file)}</div><div class="file">${escapeHtml(row.file)}${row.email ? ` · ${escapeHtml(row.email)}` : ''}</div></td>
<td>${escapeHtml(matched.join(', '))}</td>
<td>${escapeHtml(missing.join(', '))}</td>
<td class="warn">${warnings.map((w) => `<div>${escapeHtml(w)}</div>`).join('')}</td>
<td>${row.summary ? `<p>${escapeHtml(row.summary)}</p>` : ''}${criteriaList(row)}</td>
</tr>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1d2433;background:#fff}
h1{font-size:1.4rem;margin:0 0 .25rem}.meta{color:#5b6475;margin:0 0 1rem}
.counts span{display:inline-block;margin-right:1rem}
table{border-collapse:collapse;width:100%}th,td{padding:.5rem;border-bottom:1px solid #e3e6ec;vertical-align:top;text-align:left}
th{background:#f5f7fa;position:sticky;top:0}.num{text-align:right;white-space:nowrap}
meter{display:block;width:4rem}.name{font-weight:600}.file{color:#5b6475;font-size:.85em;word-break:break-all}
.tier{border-radius:1rem;padding:.1rem .6rem;font-size:.85em;background:#eef0f4}
tr.shortlist .tier{background:#d7f5dd;color:#0b5d1e}tr.maybe .tier{background:#fff1c2;color:#6b4e00}
tr.reject .tier{background:#fde2e1;color:#8a1c17}tr.unscored{color:#5b6475}
.warn{color:#8a1c17;font-size:.9em}ul.criteria{margin:.25rem 0;padding-left:1.1rem}
li.no{color:#8a1c17}li.partial{color:#6b4e00}.met{color:#5b6475;font-size:.85em}
q{display:block;color:#3b4252;font-style:italic;margin:.1rem 0 .3rem}
@media print{th{position:static}details{display:block}}`;

/**
 * A self-contained page (no script, no external request; a CSP forbids both) a recruiter can open
 * or mail. Every resume-derived string is escaped: resumes are untrusted input.
 */
export function renderHtmlReport(report: RankedReport): string {
  const count = (tier: string) => report.rows.filter((r) => r.tier === tier).length;
  const unscored = report.rows.filter((r) => r.score === null).length;
  const criteria = report.job.criteria
    .map((c) => `${escapeHtml(c.name)}${c.required ? ' (required)' : ''} ×${escapeHtml(c.weight)}`)
    .join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Shortlist: ${escapeHtml(report.job.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(report.job.title)}</h1>
<p class="meta">${report.rows.length} files · scored by ${escapeHtml(report.model)} · ${escapeHtml(report.generatedAt)}</p>
<p class="counts"><span>shortlist: <b>${count('shortlist')}</b></span><span>maybe: <b>${count('maybe')}</b></span><span>reject: <b>${count('reject')}</b></span><span>not scored: <b>${unscored}</b></span></p>
<p class="meta">Criteria: ${criteria}</p>
<table>
<thead><tr><th>#</th><th>Score</th><th>Tier</th><th>Candidate</th><th>Matched</th><th>Missing</th><th>Warnings</th><th>Why</th></tr></thead>
<tbody>
${report.rows.map(rowHtml).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

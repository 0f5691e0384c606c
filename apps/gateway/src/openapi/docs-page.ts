type JsonObject = Record<string, unknown>;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const block = (title: string, value: unknown) =>
  `<details><summary>${escape(title)}</summary><pre>${escape(JSON.stringify(value, null, 2))}</pre></details>`;

/**
 * A static HTML reference rendered from the OpenAPI document: one section per operation with its
 * parameters, request body and responses. No scripts and no external assets, so it works offline
 * and under a strict Content-Security-Policy.
 */
export function renderDocsPage(doc: JsonObject): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, JsonObject>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]!;
      const responses = Object.entries((op.responses ?? {}) as Record<string, JsonObject>)
        .map(
          ([status, r]) =>
            `<li><code>${status}</code> ${escape(String(r.description ?? ''))}${r.content ? block('body', r.content) : ''}</li>`,
        )
        .join('');
      const html = `<section id="${escape(String(op.operationId))}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(String(op.summary ?? ''))}</p>
${op.parameters ? block('parameters', op.parameters) : ''}
${op.requestBody ? block('request body', op.requestBody) : ''}
<ul>${responses}</ul>
</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()]
    .map((t) => `<a href="#tag-${escape(t)}">${escape(t)}</a>`)
    .join(' · ');
  const body = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${ops.join('\n')}`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)} ${escape(info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h3{font-size:1rem;margin:1.5rem 0 .25rem}code{font-family:ui-monospace,monospace}
pre{background:#f4f6f8;padding:.75rem;overflow:auto;font-size:12px}
.m{display:inline-block;min-width:4.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:3px;color:#fff;background:#57606a}
.get{background:#1a7f37}.post{background:#0969da}.patch{background:#9a6700}.put{background:#8250df}.delete{background:#cf222e}
section{border-bottom:1px solid #d0d7de;padding-bottom:.5rem}
</style></head><body>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). ${nav}</p>
${body}
</body></html>
`;
}

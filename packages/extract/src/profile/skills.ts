/** Items of a skills section: split on commas, bullets, pipes and lines; "Label: a, b" keeps a and b. */
export function skillItems(section: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const rawLine of section.split('\n')) {
    const line = rawLine.replace(/^[\s•·▪●○◦■□➢►▶✓✔*–—-]+/u, '').trim();
    const body = /^[^:]{2,30}:\s*(.+)$/.exec(line)?.[1] ?? line;
    for (const part of body.split(/\s*(?:[,;|•·▪●]|\s\/\s|\t|\s{3,})\s*/u)) {
      const item = part
        .replace(/^(?:and|&)\s+/i, '')
        .replace(/[.\s]+$/, '')
        .trim();
      const words = item.split(/\s+/).length;
      if (item.length < 1 || item.length > 60 || words > 6 || !/\p{L}/u.test(item)) continue;
      const key = item.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or our that the their this to ' +
    'we will with you your they them who what when where which while within without about above after all ' +
    'also any can candidate candidates company do does each etc experience good great help including join ' +
    'looking may more most must new not other own per plus preferred required requirements responsibilities ' +
    'role should skills strong team such than very well work working years year able ability using use ' +
    'qualifications knowledge understanding excellent degree related field environment opportunity ideal'
  ).split(' '),
);

/** Lower-case word tokens (letters, digits, `+`, `#`, `.` inside words such as `node.js`, `c++`). */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]/g) ?? []).map((t) =>
    t.replace(/\.$/, ''),
  );
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token) || /^\d+$/.test(token);
}

/** Splits text into sentence-ish lines, for quoting evidence. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

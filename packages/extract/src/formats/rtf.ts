import type { Extracted } from '../extracted';

// Destinations whose content is not document text (fonts, colours, metadata, pictures, fields'
// instructions); `\*` marks any other optional destination a reader may skip.
const SKIP = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'header',
  'footer',
  'headerl',
  'headerr',
  'footerl',
  'footerr',
  'fldinst',
  'themedata',
  'colorschememapping',
  'latentstyles',
  'datastore',
  'xmlnstbl',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'pgdsctbl',
]);

const CP1252: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

/**
 * Plain text of an RTF document: control words dropped, `\par`/`\line`/`\row` as line breaks,
 * `\cell` as a tab, `\uN` and `\'hh` (Windows-1252) decoded, non-text destinations skipped.
 * No maintained npm package does only this; the grammar needed for text is this small.
 */
export function rtfToText(rtf: string): string {
  let out = '';
  let depth = 0;
  let skipDepth = -1;
  let ucSkip = 1;
  let pendingSkip = 0;
  const ucStack: number[] = [];
  const write = (s: string) => {
    if (skipDepth >= 0) return;
    if (pendingSkip > 0) {
      pendingSkip--;
      return;
    }
    out += s;
  };
  for (let i = 0; i < rtf.length; i++) {
    const ch = rtf[i]!;
    if (ch === '{') {
      depth++;
      ucStack.push(ucSkip);
      continue;
    }
    if (ch === '}') {
      if (skipDepth === depth) skipDepth = -1;
      depth--;
      ucSkip = ucStack.pop() ?? 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') continue;
    if (ch !== '\\') {
      write(ch);
      continue;
    }
    const next = rtf[i + 1] ?? '';
    if (next === '\\' || next === '{' || next === '}') {
      write(next);
      i++;
      continue;
    }
    if (next === "'") {
      const code = parseInt(rtf.slice(i + 2, i + 4), 16);
      if (!Number.isNaN(code)) write(CP1252[code] ?? String.fromCharCode(code));
      i += 3;
      continue;
    }
    if (next === '*') {
      if (skipDepth < 0) skipDepth = depth;
      i++;
      continue;
    }
    if (next === '~') {
      write('\u00a0');
      i++;
      continue;
    }
    const match = /^([a-z]{1,32})(-?\d{1,10})? ?/.exec(rtf.slice(i + 1, i + 48));
    if (!match) {
      i++;
      continue;
    }
    i += match[0].length;
    const word = match[1]!;
    const param = match[2] === undefined ? null : Number(match[2]);
    if (SKIP.has(word)) {
      if (skipDepth < 0) skipDepth = depth;
    } else if (
      word === 'par' ||
      word === 'line' ||
      word === 'row' ||
      word === 'sect' ||
      word === 'page'
    ) {
      pendingSkip = 0;
      write('\n');
    } else if (word === 'tab' || word === 'cell') {
      write('\t');
    } else if (word === 'uc' && param !== null) {
      ucSkip = param;
    } else if (word === 'u' && param !== null) {
      write(String.fromCharCode(param < 0 ? param + 65536 : param));
      pendingSkip = ucSkip;
    } else if (word === 'emdash') write('—');
    else if (word === 'endash') write('–');
    else if (word === 'bullet') write('•');
    else if (word === 'lquote') write('‘');
    else if (word === 'rquote') write('’');
    else if (word === 'ldblquote') write('“');
    else if (word === 'rdblquote') write('”');
  }
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Reads an RTF resume; an unbalanced group count means the file was cut short. */
export function extractRtf(rtf: string): Extracted {
  let depth = 0;
  for (let i = 0; i < rtf.length; i++) {
    if (rtf[i] === '\\') i++;
    else if (rtf[i] === '{') depth++;
    else if (rtf[i] === '}') depth--;
  }
  return { verdict: depth > 0 ? 'truncated' : 'ok', text: rtfToText(rtf), pages: 1, hidden: [] };
}

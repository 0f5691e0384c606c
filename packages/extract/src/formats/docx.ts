import JSZip from 'jszip';
import mammoth from 'mammoth';
import type { Extracted } from '../extracted';
import type { HiddenReason, HiddenText } from '../types';
import { htmlToPlainText, removeOnce } from './html';

/** Runs smaller than this many half-points (1.5 pt) cannot be read. */
const TINY_HALF_POINTS = 3;

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

function runHiddenReason(props: string): HiddenReason | null {
  if (/<w:vanish(?:\s[^>]*)?\/>/.test(props) && !/<w:vanish[^>]*w:val="(?:false|0)"/.test(props))
    return 'hidden-style';
  const colour = /<w:color [^>]*w:val="([0-9A-Fa-f]{6})"/.exec(props)?.[1];
  const shade = /<w:(?:shd|highlight) [^>]*w:(?:fill|val)="([0-9A-Fa-f]{6}|white)"/.exec(
    props,
  )?.[1];
  const background = !shade || shade === 'auto' ? 'FFFFFF' : shade === 'white' ? 'FFFFFF' : shade;
  if (colour && colour.toUpperCase() === background.toUpperCase()) return 'background-colour';
  if (colour && /^F[A-F0-9]F[A-F0-9]F[A-F0-9]$/i.test(colour) && background === 'FFFFFF')
    return 'background-colour';
  const size = /<w:sz [^>]*w:val="(\d+)"/.exec(props)?.[1];
  if (size && Number(size) < TINY_HALF_POINTS) return 'tiny-font';
  return null;
}

/**
 * Runs of the main document a reader cannot see: marked hidden (w:vanish), coloured like the
 * page, or in a tiny font. Read from word/document.xml because mammoth keeps such text.
 */
function hiddenRuns(documentXml: string): HiddenText[] {
  const out: HiddenText[] = [];
  let last: HiddenText | null = null;
  for (const paragraph of documentXml.split(/<\/w:p>/)) {
    for (const run of paragraph.matchAll(/<w:r(?:\s[^>]*)?>([\s\S]*?)<\/w:r>/g)) {
      const body = run[1]!;
      const props = /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(body)?.[1] ?? '';
      const text = decodeXml(
        [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
      );
      if (!text.trim()) continue;
      const why = runHiddenReason(props);
      if (!why) {
        last = null;
        continue;
      }
      if (last && last.why === why) last.snippet += text;
      else {
        last = { snippet: text, why, page: null };
        out.push(last);
      }
    }
    last = null;
  }
  return out
    .map((h) => ({ ...h, snippet: h.snippet.replace(/\s+/g, ' ').trim() }))
    .filter((h) => /[\p{L}\p{N}]{2}/u.test(h.snippet));
}

/** True when the zip's end-of-central-directory record is missing: the file was cut short. */
function zipIsCut(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 65_557)));
  return tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0;
}

/** Reads a DOCX with mammoth (tables become one line per row); hidden runs are reported and left out. */
export async function extractDocx(bytes: Uint8Array): Promise<Extracted> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch {
    return { verdict: zipIsCut(bytes) ? 'truncated' : 'corrupt', text: '', pages: 0, hidden: [] };
  }
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (documentXml === undefined) return { verdict: 'corrupt', text: '', pages: 0, hidden: [] };
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer })).value;
  } catch {
    return { verdict: 'corrupt', text: '', pages: 0, hidden: [] };
  }
  let text = htmlToPlainText(html);
  const hidden = hiddenRuns(documentXml);
  for (const h of hidden) text = removeOnce(text, h.snippet);
  return {
    verdict: 'ok',
    text,
    pages: 1,
    hidden: hidden.map((h) => ({ ...h, snippet: h.snippet.slice(0, 300) })),
  };
}

import JSZip from 'jszip';
import type { Extracted } from '../extracted';
import type { HiddenReason, HiddenText } from '../types';

/** Text smaller than this (points) cannot be read. */
const TINY_POINTS = 1.5;

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

/** Why text in a style is invisible: hidden display, white text, or a tiny font. */
function styleHiddenReason(props: string): HiddenReason | null {
  if (/\btext:display="none"/.test(props)) return 'hidden-style';
  const colour = /\bfo:color="#([0-9a-f]{6})"/i.exec(props)?.[1];
  const background = /\bfo:background-color="#([0-9a-f]{6})"/i.exec(props)?.[1] ?? 'ffffff';
  if (colour && colour.toLowerCase() === background.toLowerCase()) return 'background-colour';
  if (colour && /^f[a-f0-9]f[a-f0-9]f[a-f0-9]$/i.test(colour) && background === 'ffffff')
    return 'background-colour';
  const size = /\bfo:font-size="([\d.]+)pt"/.exec(props)?.[1];
  if (size && Number(size) < TINY_POINTS) return 'tiny-font';
  return null;
}

/** Styles (automatic ones in content.xml, named ones in styles.xml) that hide their text. */
function hidingStyles(xml: string): Map<string, HiddenReason> {
  const out = new Map<string, HiddenReason>();
  for (const m of xml.matchAll(/<style:style\s([^>]*?)(?:\/>|>([\s\S]*?)<\/style:style>)/g)) {
    const name = /\bstyle:name="([^"]+)"/.exec(m[1]!)?.[1];
    const why = styleHiddenReason(m[2] ?? '');
    if (name && why) out.set(name, why);
  }
  return out;
}

/** Plain text of an ODF fragment: paragraphs and table rows on their own lines. */
function plain(xml: string): string {
  return decodeXml(
    xml
      .replace(/<text:tab\s*\/>/g, '\t')
      .replace(/<text:line-break\s*\/>/g, '\n')
      .replace(/<text:s\s+text:c="(\d+)"\s*\/>/g, (_, n: string) => ' '.repeat(Number(n)))
      .replace(/<text:s\s*\/>/g, ' ')
      // A cell's paragraphs stay on its row's line.
      .replace(/<table:table-cell\b[^>]*\/>/g, '\t')
      .replace(
        /<table:table-cell\b[^>]*>([\s\S]*?)<\/table:table-cell>/g,
        (_, cell: string) => `${cell.replace(/<\/text:(?:p|h)>/g, ' ')}\t`,
      )
      .replace(/<\/(text:p|text:h|table:table-row)>/g, '\n')
      // Notes, annotations and tracked deletions are not part of the page a reader sees.
      .replace(/<(office:annotation|text:note|text:tracked-changes)\b[\s\S]*?<\/\1>/g, '')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/ *\t+ */g, ' | ');
}

/** Spans and paragraphs whose style (or a hidden-text field) makes them invisible. */
function hiddenParts(body: string, styles: Map<string, HiddenReason>): HiddenText[] {
  const out: HiddenText[] = [];
  const element =
    /<(text:span|text:p|text:h)\s[^>]*?text:style-name="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g;
  for (const m of body.matchAll(element)) {
    const why = styles.get(m[2]!);
    if (why) out.push({ snippet: plain(m[3]!), why, page: null });
  }
  for (const m of body.matchAll(
    /<text:hidden-(?:text|paragraph)\s[^>]*?text:string-value="([^"]*)"/g,
  ))
    out.push({ snippet: decodeXml(m[1]!), why: 'hidden-style', page: null });
  return out
    .map((h) => ({ ...h, snippet: h.snippet.replace(/\s+/g, ' ').trim().slice(0, 300) }))
    .filter((h) => /[\p{L}\p{N}]{2}/u.test(h.snippet));
}

/**
 * Reads an OpenDocument text file (a zip holding content.xml) with jszip: paragraphs, headings,
 * lists and table rows as lines; text styled invisible (display none, white, under 1.5 pt) and
 * hidden-text fields are reported and left out.
 */
export async function extractOdt(bytes: Uint8Array): Promise<Extracted> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    return { verdict: 'corrupt', text: '', pages: 0, hidden: [] };
  }
  const content = await zip.file('content.xml')?.async('string');
  if (content === undefined) return { verdict: 'corrupt', text: '', pages: 0, hidden: [] };
  const stylesXml = (await zip.file('styles.xml')?.async('string')) ?? '';
  const body = /<office:text\b[^>]*>([\s\S]*)<\/office:text>/.exec(content)?.[1] ?? '';
  const styles = new Map([...hidingStyles(stylesXml), ...hidingStyles(content)]);
  const hidden = hiddenParts(body, styles);
  // Drop the hidden elements from the visible text (innermost first is not needed: a hidden
  // span's text is removed with it).
  let visible = body.replace(/<text:hidden-(?:text|paragraph)\b[^>]*\/>/g, '');
  for (const [name] of styles) {
    const pattern = new RegExp(
      `<(text:span|text:p|text:h)\\s[^>]*?text:style-name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>[\\s\\S]*?</\\1>`,
      'g',
    );
    visible = visible.replace(pattern, (m) => (m.startsWith('<text:span') ? '' : '\n'));
  }
  return { verdict: 'ok', text: plain(visible), pages: 1, hidden };
}

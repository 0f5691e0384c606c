import { dirname, join } from 'node:path';
import { definePDFJSModule, getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import type { HiddenText, ExtractLimits } from '../types';
import { type Extracted } from '../extracted';
import { layoutPage } from './pdf-layout';
import { pageSegments, type OpCodes, type Segment } from './pdf-ops';
import { textOnlyPdfjsBundle } from './pdfjs-bundle';

// pdf.js 5 calls ArrayBuffer#transferToFixedLength (Node >= 21) when it packs font data for the
// operator list; on Node 20 a copy does the same job. Extraction runs in its own worker thread,
// so this only touches that thread's globals (and the caller's with `threads: 0`).
const arrayBufferProto = ArrayBuffer.prototype as ArrayBuffer & {
  transferToFixedLength?: (length?: number) => ArrayBuffer;
};
if (typeof arrayBufferProto.transferToFixedLength !== 'function') {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length?: number) {
      const size = length ?? this.byteLength;
      const copy = new ArrayBuffer(size);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(size, this.byteLength)));
      return copy;
    },
  });
}

// unpdf loads its pdf.js bundle with import('unpdf/pdfjs'), a subpath with only an "import"
// condition; naming the file lets jest (CommonJS, no VM modules) load it through its transform.
// The file loaded is that bundle with the text-only edits of ./pdfjs-bundle applied.
const unpdfBundle = () => join(dirname(require.resolve('unpdf')), 'pdfjs.mjs');

let opCodes: Promise<OpCodes> | null = null;
const loadOpCodes = () =>
  (opCodes ??= definePDFJSModule(() => import(textOnlyPdfjsBundle(unpdfBundle()).path))
    .then(() => getResolvedPDFJS())
    .then((pdfjs) => ({ ...pdfjs.OPS })));

/** Loads pdf.js now rather than on the first PDF. */
export async function warmUpPdf(): Promise<void> {
  await loadOpCodes();
}

/** True when the file ends with the `%%EOF` marker every complete PDF has near its end. */
function hasEndMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  return tail.includes('%%EOF');
}

/** Page text that is mostly invisible is an OCR layer over a scanned image, not a trick. */
function isOcrLayer(segments: Segment[]): boolean {
  let invisible = 0;
  let total = 0;
  for (const s of segments) {
    total += s.text.length;
    if (s.hidden === 'invisible-render-mode') invisible += s.text.length;
  }
  return total > 0 && invisible / total >= 0.8;
}

/** Consecutive hidden segments with the same reason, as snippets a recruiter can read. */
function hiddenSnippets(segments: Segment[], page: number): HiddenText[] {
  const out: HiddenText[] = [];
  let last: HiddenText | null = null;
  for (const seg of segments) {
    if (!seg.hidden) {
      last = null;
      continue;
    }
    if (last && last.why === seg.hidden) last.snippet += ` ${seg.text}`;
    else {
      last = { snippet: seg.text, why: seg.hidden, page };
      out.push(last);
    }
  }
  return out
    .map((h) => ({ ...h, snippet: h.snippet.replace(/\s+/g, ' ').trim().slice(0, 300) }))
    .filter((h) => (h.snippet.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 3);
}

/**
 * Reads a PDF with pdf.js (through unpdf): text in reading order from the operator list, plus
 * what is hidden from a human reader. Pages past `maxPages` are skipped.
 */
export async function extractPdf(bytes: Uint8Array, limits: ExtractLimits): Promise<Extracted> {
  const ops = await loadOpCodes();
  const complete = hasEndMarker(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      // Text needs glyph-to-Unicode maps and widths, not glyph outlines: skip font files and images.
      standardFontDataUrl: undefined,
      maxImageSize: 0,
      stopAtErrors: false,
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException')
      return { verdict: 'encrypted', pages: 0, text: '', hidden: [] };
    return { verdict: complete ? 'corrupt' : 'truncated', pages: 0, text: '', hidden: [] };
  }
  try {
    const pages = pdf.numPages;
    const readPages = Math.min(pages, limits.maxPages);
    const texts: string[] = [];
    const hidden: HiddenText[] = [];
    let chars = 0;
    let failedPages = 0;
    for (let n = 1; n <= readPages && chars <= limits.maxChars; n++) {
      try {
        const page = await pdf.getPage(n);
        const segments = pageSegments(await page.getOperatorList(), ops, page.view);
        if (isOcrLayer(segments)) for (const s of segments) s.hidden = null;
        const text = layoutPage(segments.filter((s) => !s.hidden)).normalize('NFKC');
        hidden.push(...hiddenSnippets(segments, n));
        texts.push(text);
        chars += text.length;
        page.cleanup();
      } catch {
        failedPages++;
      }
    }
    const text = texts.join('\n\n');
    const verdict = !complete
      ? 'truncated'
      : failedPages > 0 && failedPages === readPages
        ? 'corrupt'
        : readPages < pages || chars > limits.maxChars
          ? 'truncated'
          : 'ok';
    return {
      verdict,
      pages,
      text,
      hidden,
      limitHit: complete && (readPages < pages || chars > limits.maxChars),
    };
  } finally {
    await pdf.destroy();
  }
}

import type { Extracted } from './extracted';
import type * as DocxModule from './formats/docx';
import type * as HtmlModule from './formats/html';
import type * as OdtModule from './formats/odt';
import type * as PdfModule from './pdf/pdf.extractor';
import { extractRtf } from './formats/rtf';
import { decodeText } from './formats/text';
import { stripInvisibleChars } from './hidden-chars';
import { pdfBombReason, zipBombReason, type InflationLimits } from './inflation-guard';
import { emptyProfile, parseResumeText } from './profile/parse-resume';
import { textQuality } from './quality';
import { reasonFor } from './reasons';
import { READABLE_KINDS, sniff } from './sniff';
import { EXTRACT_DEFAULTS, type ExtractionResult, type ExtractLimits, type Verdict } from './types';

/** Options of {@link extractBytes}. */
export interface ExtractBytesOptions {
  limits: ExtractLimits;
  /** "Today" for date ranges that end in "present". */
  now?: Date;
  /** Skip reading and describe a failure seen outside this call (a thread that timed out). */
  failed?: { verdict: Verdict; timeoutMs?: number };
}

/** An OLE2 container holding an encrypted OOXML package (a password-protected DOCX). */
function isEncryptedOffice(bytes: Uint8Array): boolean {
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker);
}

const normalise = (text: string) =>
  text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

// pdf.js, mammoth and html-to-text load on first use: importing this package for sniff() or
// parseResumeText() (the gateway, the CLI's --help) stays cheap. require(), not import(): inside
// a worker thread only tsx's CommonJS hook is registered, and jest runs CommonJS too.
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  pdf: () => require('./pdf/pdf.extractor') as typeof PdfModule,
  docx: () => require('./formats/docx') as typeof DocxModule,
  html: () => require('./formats/html') as typeof HtmlModule,
  odt: () => require('./formats/odt') as typeof OdtModule,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A compressed format is measured unpacked (under a cap) before its parser may allocate it. */
function bombReason(kind: string, bytes: Uint8Array, limits: ExtractLimits): string | null {
  const inflation: InflationLimits = {
    maxInflatedBytes: limits.maxInflatedBytes ?? EXTRACT_DEFAULTS.maxInflatedBytes!,
    maxZipEntries: limits.maxZipEntries ?? EXTRACT_DEFAULTS.maxZipEntries!,
  };
  if (kind === 'docx' || kind === 'odt') return zipBombReason(bytes, inflation);
  if (kind === 'pdf') return pdfBombReason(bytes, inflation);
  return null;
}

async function read(kind: string, bytes: Uint8Array, limits: ExtractLimits): Promise<Extracted> {
  const bomb = bombReason(kind, bytes, limits);
  if (bomb) return { verdict: 'unsupported', text: '', pages: 0, hidden: [], reason: bomb };
  switch (kind) {
    case 'pdf':
      return lazy.pdf().extractPdf(bytes, limits);
    case 'docx':
      return lazy.docx().extractDocx(bytes);
    case 'odt':
      return lazy.odt().extractOdt(bytes);
    case 'html':
      return lazy.html().extractHtml(decodeText(bytes));
    case 'rtf':
      return extractRtf(decodeText(bytes));
    default:
      return { verdict: 'ok', text: decodeText(bytes), pages: 1, hidden: [] };
  }
}

/**
 * Reads one file on the calling thread: sniffs its real type, extracts visible text, reports
 * hidden text, judges the result and parses the resume. Never throws for a bad file: problems
 * become a verdict with a reason. Prefer {@link createExtractor}, which runs this in worker
 * threads under a time limit.
 */
export async function extractBytes(
  bytes: Uint8Array,
  options: ExtractBytesOptions,
): Promise<ExtractionResult> {
  const started = performance.now();
  const { limits } = options;
  const { kind, mime } = sniff(bytes.subarray(0, 4096));
  const finish = (
    verdict: Verdict,
    extracted: Partial<Extracted> = {},
    extra: { timeoutMs?: number } = {},
  ): ExtractionResult => {
    const text = extracted.text ?? '';
    const parse = (verdict === 'ok' || verdict === 'truncated') && text.length > 0;
    return {
      kind,
      mime,
      verdict,
      reason:
        extracted.reason ??
        reasonFor(verdict, {
          kind,
          bytes: bytes.length,
          pages: extracted.pages ?? 0,
          limits,
          limitHit: extracted.limitHit,
          ...extra,
        }),
      text,
      pages: extracted.pages ?? 0,
      hiddenText: extracted.hidden ?? [],
      profile: parse ? parseResumeText(text, { now: options.now }) : emptyProfile(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  };

  if (options.failed) return finish(options.failed.verdict, {}, options.failed);
  if (bytes.length > limits.maxBytes) return finish('unsupported');
  if (kind === 'empty') return finish('empty');
  if (kind === 'doc' && isEncryptedOffice(bytes)) return finish('encrypted');
  if (!READABLE_KINDS.has(kind)) return finish('unsupported');

  let extracted: Extracted;
  try {
    extracted = await read(kind, bytes, limits);
  } catch {
    return finish('corrupt');
  }
  const invisible = stripInvisibleChars(extracted.text);
  let text = normalise(invisible.text);
  let { verdict, limitHit } = extracted;
  if (text.length > limits.maxChars) {
    text = text.slice(0, limits.maxChars);
    limitHit = true;
    if (verdict === 'ok') verdict = 'truncated';
  }
  if (verdict === 'ok' || (verdict === 'truncated' && limitHit)) {
    const quality = textQuality(text);
    if (quality !== 'ok') verdict = quality;
  }
  return finish(verdict, {
    ...extracted,
    text,
    limitHit,
    hidden: [...extracted.hidden, ...invisible.hidden],
  });
}

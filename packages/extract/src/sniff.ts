/** What a file really is, judged from its bytes, never from its name. */
export type FileKind =
  'pdf' | 'docx' | 'odt' | 'doc' | 'zip' | 'rtf' | 'html' | 'text' | 'empty' | 'unknown';

export interface Sniffed {
  kind: FileKind;
  mime: string;
}

const MIME: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  doc: 'application/msword',
  zip: 'application/zip',
  rtf: 'application/rtf',
  html: 'text/html',
  text: 'text/plain',
  empty: 'application/x-empty',
  unknown: 'application/octet-stream',
};

const startsWith = (head: Uint8Array, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/** True when `head` decodes as text: valid UTF-8 (or UTF-16 with BOM) and no NUL/control bytes. */
export function looksLikeText(head: Uint8Array): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  if (control > head.length * 0.01) return false;
  try {
    // A multi-byte character may be cut at the end of the sample; ignore the last 3 bytes.
    new TextDecoder('utf-8', { fatal: true }).decode(
      head.subarray(0, Math.max(0, head.length - 3)),
    );
    return true;
  } catch {
    return true; // Latin-1 and other 8-bit text is still text.
  }
}

/** Classifies a file from its first bytes (4 KiB is plenty). */
export function sniff(head: Uint8Array): Sniffed {
  const kind = sniffKind(head);
  return { kind, mime: MIME[kind] };
}

function sniffKind(head: Uint8Array): FileKind {
  if (head.length === 0) return 'empty';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const ascii = Buffer.from(head).toString('latin1');
    if (ascii.includes('word/') || ascii.includes('[Content_Types].xml')) return 'docx';
    // OpenDocument stores an uncompressed `mimetype` entry first.
    if (/^mimetypeapplication\/vnd\.oasis\.opendocument\.text(?!-)/.test(ascii.slice(30)))
      return 'odt';
    return 'zip';
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'doc';
  if (startsWith(head, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return 'rtf';
  if (!looksLikeText(head)) return 'unknown';
  const start = Buffer.from(head.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return 'text';
}

/** Kinds this build can read. */
export const READABLE_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'text',
  'pdf',
  'docx',
  'odt',
  'rtf',
  'html',
]);

/** Why a file of `kind` cannot be read, in words for the recruiter; null when it can. */
export function unreadableReason(kind: FileKind): string | null {
  if (READABLE_KINDS.has(kind)) return null;
  switch (kind) {
    case 'empty':
      return 'The file is empty (0 bytes).';
    case 'doc':
      return 'Old Word (.doc) files cannot be read; ask for a PDF or DOCX.';
    default:
      return 'This is not a resume format we can read (PDF, DOCX, ODT, RTF, HTML or plain text).';
  }
}

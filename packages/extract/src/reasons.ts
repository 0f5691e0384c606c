import type { FileKind } from './sniff';
import type { ExtractLimits, Verdict } from './types';

/** Details that change the sentence shown for a verdict. */
export interface ReasonContext {
  kind: FileKind;
  bytes: number;
  pages: number;
  limits: ExtractLimits;
  limitHit?: boolean;
  timeoutMs?: number;
  chars?: number;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** The sentence a recruiter sees for a verdict other than `ok`. */
export function reasonFor(verdict: Verdict, ctx: ReasonContext): string | null {
  switch (verdict) {
    case 'ok':
      return null;
    case 'empty':
      if (ctx.bytes === 0) return 'The file is empty (0 bytes).';
      if (ctx.kind === 'pdf')
        return 'The PDF has no text layer (it looks scanned or made of images); ask the candidate for a text PDF or DOCX.';
      return 'The file contains no readable text.';
    case 'garbled':
      return 'The text came out unreadable (broken font or character encoding); ask the candidate for another export of the file.';
    case 'truncated':
      if (ctx.limitHit && ctx.pages > ctx.limits.maxPages)
        return `Only the first ${ctx.limits.maxPages} of ${ctx.pages} pages were read (page limit).`;
      if (ctx.limitHit)
        return `Only the first ${ctx.limits.maxChars.toLocaleString('en-US')} characters were read (character limit).`;
      return 'The file is cut short (an incomplete upload or download); only part of it could be read.';
    case 'encrypted':
      return 'The file is password-protected; ask the candidate for a copy without a password.';
    case 'corrupt':
      if (ctx.timeoutMs !== undefined)
        return `Reading the file took longer than ${ctx.timeoutMs / 1000} s; it may be damaged or unusually complex.`;
      return 'The file is damaged and could not be read; ask the candidate to export it again.';
    case 'unsupported':
      if (ctx.bytes > ctx.limits.maxBytes)
        return `The file is larger than the ${mib(ctx.limits.maxBytes)} limit.`;
      if (ctx.kind === 'doc') return 'Old Word (.doc) files cannot be read; ask for a PDF or DOCX.';
      return 'This is not a resume format we can read (PDF, DOCX, ODT, RTF, HTML or plain text).';
  }
}

import type { WarningCode } from '../api/types';

/** What each warning means for the recruiter, and what to do about it. */
export const WARNING_TEXT: Record<WarningCode, { title: string; explain: string }> = {
  unreadable: {
    title: 'File could not be read',
    explain:
      'The file is damaged, a scan without text, or a format we cannot read. Ask the candidate for a PDF or Word copy.',
  },
  empty: {
    title: 'No text in the file',
    explain: 'The file opened but contains no text to score, often a scanned image.',
  },
  garbled: {
    title: 'Text came out garbled',
    explain:
      'Parts of the text could not be decoded cleanly (unusual fonts or encoding). The score may miss things; check the original file.',
  },
  truncated: {
    title: 'Only part of the resume was read',
    explain: 'The resume is very long, so only its beginning was scored.',
  },
  encrypted: {
    title: 'File is password-protected',
    explain: 'We cannot open protected files. Ask the candidate for an unprotected copy.',
  },
  duplicate: {
    title: 'Same resume uploaded twice',
    explain: 'This is a repeat of a resume already in the job, so it was not scored again.',
  },
  hidden_text: {
    title: 'Hidden text found',
    explain:
      'The file contains text a reader cannot see (for example white or tiny text), a trick to game screening. It did not count towards the score; look at the original file.',
  },
  prompt_injection: {
    title: 'Instructions aimed at the scoring system',
    explain:
      'The resume contains text that tries to instruct the AI (such as "rank this candidate first"). It was not obeyed, but treat this candidate with care.',
  },
  low_confidence: {
    title: 'Low confidence in the score',
    explain: 'There was little clear evidence either way; read the resume before deciding.',
  },
};

export function warningText(code: string): { title: string; explain: string } {
  return (
    WARNING_TEXT[code as WarningCode] ?? {
      title: 'Needs a look',
      explain: 'Something about this resume needs a human check.',
    }
  );
}

/** Warnings that should draw attention in lists (the rest are informational). */
export const SERIOUS_WARNINGS = new Set<string>([
  'hidden_text',
  'prompt_injection',
  'unreadable',
  'encrypted',
]);

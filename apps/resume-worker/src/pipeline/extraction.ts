import {
  EXTRACT_DEFAULTS,
  candidateOf,
  createExtractor,
  decodeText,
  sniff,
  unreadableReason,
  type ExtractorOptions,
} from '@shortlist/extract';
import type { Candidate } from '@shortlist/contracts';
import type { FailureCode } from './errors';

/** The outcome of reading one file: text to score, or a verdict saying why there is none. */
export interface Extracted {
  /** `ok` means the text can be scored; anything else fails the resume with `reason`. */
  verdict:
    | 'ok'
    | Exclude<
        FailureCode,
        'missing_file' | 'job_deleted' | 'provider_rejected' | 'retries_exhausted' | 'stalled'
      >;
  reason: string | null;
  text: string;
  /** Text a reader of the file cannot see (white, tiny, off-page): shown to the recruiter. */
  hiddenText: string[];
  /** Contact details found in the file (stored on the resume; used to redact identity). */
  candidate?: Candidate;
}

/** Turns file bytes into text; implementations may parse in worker threads. */
export interface TextExtractor {
  /** Largest file read; the download stops reading one byte past it (bounded memory). */
  readonly maxBytes: number;
  extract(bytes: Buffer): Promise<Extracted>;
  close(): Promise<void>;
}

/** The plain-text path of the foundation: sniff, decode, refuse what it cannot read. */
export function plainTextExtractor(): TextExtractor {
  const { maxBytes } = EXTRACT_DEFAULTS;
  return {
    maxBytes,
    async extract(bytes) {
      if (bytes.length > maxBytes)
        return {
          verdict: 'unreadable',
          reason: `The file is larger than the ${maxBytes / 1024 / 1024} MiB limit.`,
          text: '',
          hiddenText: [],
        };
      const kind = sniff(bytes.subarray(0, 4_096)).kind;
      const reason = unreadableReason(kind);
      if (reason)
        return {
          verdict: kind === 'empty' ? 'empty' : 'unreadable',
          reason,
          text: '',
          hiddenText: [],
        };
      const text = decodeText(bytes);
      if (text.trim().length === 0)
        return { verdict: 'empty', reason: 'The file contains no text.', text: '', hiddenText: [] };
      return { verdict: 'ok', reason: null, text, hiddenText: [] };
    },
    async close() {},
  };
}

/**
 * PDF, DOCX, RTF, HTML and text through @shortlist/extract's worker threads (added by the
 * extraction work; verdict `unsupported` maps to `unreadable`, hidden text to its snippets).
 */
export function threadedExtractor(options: Partial<ExtractorOptions> = {}): TextExtractor {
  const extractor = createExtractor(options);
  return {
    maxBytes: options.maxBytes ?? EXTRACT_DEFAULTS.maxBytes,
    async extract(bytes) {
      const result = await extractor.extract(bytes);
      const verdict = result.verdict === 'unsupported' ? 'unreadable' : result.verdict;
      return {
        verdict,
        reason: result.reason,
        text: verdict === 'ok' ? result.text : '',
        hiddenText: result.hiddenText.map((h) => h.snippet),
        candidate: candidateOf(result.profile),
      };
    },
    close: () => extractor.close(),
  };
}

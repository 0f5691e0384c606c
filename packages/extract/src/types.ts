import type { FileKind } from './sniff';

/**
 * How well a file could be read. Anything but `ok` must be shown to the recruiter with its
 * `reason` instead of being scored as a weak candidate.
 * - `ok`: text was read.
 * - `empty`: nothing to read (0-byte file, or a scanned PDF with no text layer).
 * - `garbled`: text came out but is unreadable (broken font mapping or encoding).
 * - `truncated`: the file is cut short, or a page/character limit stopped reading (the text read
 *   so far is returned).
 * - `encrypted`: the file needs a password.
 * - `corrupt`: the file is damaged, or reading it exceeded the time limit.
 * - `unsupported`: the format cannot be read (old .doc, images, archives) or the file is over
 *   the size limit.
 */
export type Verdict =
  'ok' | 'empty' | 'garbled' | 'truncated' | 'encrypted' | 'corrupt' | 'unsupported';

/** Why a piece of text is invisible to a human reader. */
export type HiddenReason =
  | 'background-colour'
  | 'transparent'
  | 'tiny-font'
  | 'off-page'
  | 'invisible-render-mode'
  | 'hidden-style'
  | 'zero-width-characters';

/** Text a parser sees but a person reading the document does not. */
export interface HiddenText {
  /** The hidden text, whitespace collapsed, at most 300 characters. */
  snippet: string;
  why: HiddenReason;
  /** 1-based page for PDFs, null elsewhere. */
  page: number | null;
}

/** The canonical resume sections; anything else stays in the section above it. */
export type SectionName =
  'summary' | 'experience' | 'education' | 'skills' | 'certifications' | 'projects';

/** Highest education level found, from degree words. */
export type EducationLevel =
  'doctorate' | 'master' | 'bachelor' | 'associate' | 'secondary' | 'certificate' | null;

/** Structured fields read from resume text. Every field is null/empty when not found. */
export interface ResumeProfile {
  name: string | null;
  email: string | null;
  /** As written, e.g. "+1 (555) 010-2030". */
  phone: string | null;
  links: { linkedin: string | null; github: string | null; portfolio: string | null };
  /** "City, ST" or "City, Country" as written, when the contact lines show one. */
  location: string | null;
  /** Body text of each section found (without the heading); absent sections are omitted. */
  sections: Partial<Record<SectionName, string>>;
  /** Total years of experience from the date ranges in the experience section (overlaps merged). */
  yearsExperience: number | null;
  educationLevel: EducationLevel;
  /** Skills as written in the skills section (deduplicated, case-insensitive), in order. */
  skills: string[];
}

/** Everything extraction learns about one file. */
export interface ExtractionResult {
  kind: FileKind;
  mime: string;
  verdict: Verdict;
  /** One sentence for the recruiter when `verdict` is not `ok`; null when it is. */
  reason: string | null;
  /** Visible text in reading order (hidden text is left out; see `hiddenText`). */
  text: string;
  /** Pages in the document (PDF), else 1 for text-bearing formats and 0 when nothing was read. */
  pages: number;
  hiddenText: HiddenText[];
  profile: ResumeProfile;
  /** Wall time spent reading this file, in milliseconds. */
  durationMs: number;
}

/** Limits applied to every file. */
export interface ExtractLimits {
  /** Pages read from a PDF; later pages are skipped and the verdict is `truncated`. */
  maxPages: number;
  /** Characters of text kept; more makes the verdict `truncated`. */
  maxChars: number;
  /** Files larger than this are not read (verdict `unsupported`). */
  maxBytes: number;
  /**
   * Bytes the compressed parts of a DOCX or PDF may expand to, together; a file that expands
   * further (a zip or decompression bomb) is not parsed (verdict `unsupported`).
   */
  maxInflatedBytes?: number;
  /** Parts a DOCX may hold; more is treated as a zip bomb (verdict `unsupported`). */
  maxZipEntries?: number;
}

/** Options of {@link createExtractor}. */
export interface ExtractorOptions extends ExtractLimits {
  /** Worker threads; 0 reads on the calling thread (no hard time limit). */
  threads: number;
  /** Per-file time limit; a thread over it is terminated and replaced (verdict `corrupt`). */
  timeoutMs: number;
}

/** Defaults of {@link ExtractorOptions}. */
export const EXTRACT_DEFAULTS: Readonly<ExtractorOptions> = Object.freeze({
  threads: 1,
  timeoutMs: 15_000,
  maxPages: 50,
  maxChars: 200_000,
  maxBytes: 20 * 1024 * 1024,
  maxInflatedBytes: 64 * 1024 * 1024,
  maxZipEntries: 2_000,
});

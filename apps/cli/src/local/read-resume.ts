import { candidateOf, createExtractor, type ExtractorOptions } from '@shortlist/extract';
import type { CandidateProfile } from '@shortlist/analysis';

export type ReadResult =
  | {
      ok: true;
      text: string;
      name: string | null;
      email: string | null;
      /** Text a reader of the file cannot see (white, tiny, off-page): passed to the scorer. */
      hiddenText: string[];
      /** Contact details found in the file, used by the scorer to keep identity out. */
      profile: CandidateProfile;
    }
  | { ok: false; reason: string };

/** Turns a file's bytes into resume text, or a reason it cannot. */
export interface ResumeReader {
  read(bytes: Uint8Array): Promise<ReadResult>;
  close(): Promise<void>;
}

/**
 * Reads PDF, DOCX, RTF, HTML and text through @shortlist/extract's worker threads, the same
 * extraction the resume worker runs; the type is judged from the bytes, never the file name.
 */
export function createResumeReader(options: Partial<ExtractorOptions> = {}): ResumeReader {
  const extractor = createExtractor(options);
  return {
    async read(bytes) {
      const result = await extractor.extract(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
      );
      if (result.verdict !== 'ok')
        return {
          ok: false,
          reason: result.reason ?? `The file could not be read (${result.verdict}).`,
        };
      const { profile } = result;
      return {
        ok: true,
        text: result.text,
        name: profile.name,
        email: profile.email,
        hiddenText: result.hiddenText.map((hidden) => hidden.snippet),
        profile: candidateOf(profile),
      };
    },
    close: () => extractor.close(),
  };
}

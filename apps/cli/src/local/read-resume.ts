import { decodeText, sniff, unreadableReason } from '@shortlist/extract';

export type ReadResult =
  | { ok: true; text: string; name: string | null; email: string | null; warnings: string[] }
  | { ok: false; reason: string };

/** Turns a file's bytes into resume text, or a reason it cannot. */
export interface ResumeReader {
  read(bytes: Uint8Array): Promise<ReadResult>;
  close(): Promise<void>;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** Reads what this build of @shortlist/extract can read: the type is judged from the bytes. */
export function createResumeReader(): ResumeReader {
  return {
    async read(bytes) {
      const reason = unreadableReason(sniff(bytes.subarray(0, 4_096)).kind);
      if (reason) return { ok: false, reason };
      const text = decodeText(bytes);
      if (!text.trim()) return { ok: false, reason: 'The file contains no text.' };
      return { ok: true, text, name: null, email: EMAIL.exec(text)?.[0] ?? null, warnings: [] };
    },
    async close() {},
  };
}

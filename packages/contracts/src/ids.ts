import { randomBytes } from 'node:crypto';

export type IdKind = 'usr' | 'key' | 'job' | 'bat' | 'res' | 'eml' | 'req' | 'aud';

let lastMs = 0;
let seq = 0;

/**
 * A new id like `res_0mf3k2x9a7_4f9c2b1e8d0a`: kind prefix, a base36 millisecond timestamp with a
 * per-process sequence (so ids sort in creation order), and 48 random bits.
 */
export function newId(kind: IdKind): string {
  const now = Date.now();
  seq = now === lastMs ? seq + 1 : 0;
  lastMs = now;
  const time = now.toString(36).padStart(9, '0') + seq.toString(36).padStart(3, '0');
  return `${kind}_${time}_${randomBytes(6).toString('hex')}`;
}

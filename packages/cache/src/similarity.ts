import { createHash } from 'node:crypto';

/** Number of MinHash functions; the similarity estimate's standard error is about 0.02 near 0.95. */
export const MINHASH_SIZE = 128;
/** LSH bands x rows = {@link MINHASH_SIZE}. Texts with similarity >= 0.8 meet in a band with p > 0.99. */
export const LSH_BANDS = 32;
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;

/** Words of a text for similarity: NFKC, lower case, letters and digits only. */
export function similarityTokens(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: a fast 32-bit mixer; one seed per MinHash function. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => mix(i + 1, 0x9e3779b9));

/** Hashes of the overlapping `size`-word shingles of `text` (a short text is one shingle). */
export function shingles(text: string, size = 3): Set<number> {
  const words = similarityTokens(text);
  const out = new Set<number>();
  if (words.length === 0) return out;
  if (words.length < size) out.add(fnv1a(words.join(' ')));
  for (let i = 0; i + size <= words.length; i++) out.add(fnv1a(words.slice(i, i + size).join(' ')));
  return out;
}

/** The MinHash signature of `text`: for each hash function, the least hash of its shingles. */
export function minhash(text: string): Uint32Array {
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of shingles(text)) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = mix(shingle, SEEDS[i]!);
      if (h < signature[i]!) signature[i] = h;
    }
  }
  return signature;
}

/** Estimated Jaccard similarity of the shingle sets behind two signatures (0..1). */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

/** One hash per LSH band: texts sharing any band hash are candidates for a near-duplicate. */
export function bandHashes(signature: Uint32Array): string[] {
  return Array.from({ length: LSH_BANDS }, (_, band) => {
    const rows = signature.subarray(band * LSH_ROWS, (band + 1) * LSH_ROWS);
    return createHash('sha1')
      .update(Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength))
      .digest('base64url')
      .slice(0, 16);
  });
}

export function encodeSignature(signature: Uint32Array): string {
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString(
    'base64',
  );
}

export function decodeSignature(encoded: string): Uint32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const copy = new Uint8Array(bytes); // aligned copy for the Uint32Array view
  return new Uint32Array(copy.buffer, 0, MINHASH_SIZE);
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// International numbers written with "+", North American 3-3-4 groups, or 10-13 digits in a row.
// Year ranges ("2014 - 2016 2017") have none of these shapes, so they are never taken as phones.
const PHONE =
  /\+\d{1,3}[\s.-]?(?:\(?\d{1,4}\)?[\s.-]?){2,4}\d{2,4}|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b\d{10,13}\b/g;

/**
 * The candidate's contact identity found in the text: emails (lower case) and phone numbers (last
 * ten digits), each as a salted sha256 so no personal data is stored for the comparison.
 */
export function candidateIdentity(text: string): string[] {
  const ids = new Set<string>();
  for (const email of text.normalize('NFKC').match(EMAIL) ?? [])
    ids.add(`e:${email.toLowerCase()}`);
  for (const phone of text.match(PHONE) ?? []) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length >= 10 && digits.length <= 15) ids.add(`p:${digits.slice(-10)}`);
  }
  return [...ids]
    .map((id) => createHash('sha256').update(`shortlist-identity:${id}`).digest('hex').slice(0, 32))
    .sort();
}

/**
 * True when two texts carry exactly the same contact details (every email and phone number).
 * Sharing only some is not enough: a recruiter's or company's address inside a copied template
 * would otherwise make two people "the same". Unknown identities never match.
 */
export function sameCandidate(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

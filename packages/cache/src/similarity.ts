import { createHash, hash as oneShotHash } from 'node:crypto';

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

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 0x20;

/** FNV-1a over `text`'s UTF-16 code units, continuing from `h`. */
function fnv1a(text: string, h = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
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

/** FNV-1a of `words[from..to)` joined by single spaces, without building the joined string. */
function fnvOfWords(words: string[], from: number, to: number): number {
  let h = fnv1a(words[from]!);
  for (let i = from + 1; i < to; i++) {
    h ^= SPACE;
    h = fnv1a(words[i]!, Math.imul(h, 0x01000193));
  }
  return h >>> 0;
}

/** Hashes of the overlapping `size`-word shingles of `text` (a short text is one shingle). */
export function shingles(text: string, size = 3): Set<number> {
  const words = similarityTokens(text);
  const out = new Set<number>();
  if (words.length === 0) return out;
  if (words.length < size) out.add(fnvOfWords(words, 0, words.length));
  for (let i = 0; i + size <= words.length; i++) out.add(fnvOfWords(words, i, i + size));
  return out;
}

/** The MinHash signature of `text`: for each hash function, the least hash of its shingles. */
export function minhash(text: string): Uint32Array {
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of shingles(text)) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      // mix() inlined: this loop is most of the signature's cost.
      let h = (shingle ^ SEEDS[i]!) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
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
  const bytes = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  const width = LSH_ROWS * 4;
  return Array.from({ length: LSH_BANDS }, (_, band) =>
    oneShotHash('sha1', bytes.subarray(band * width, (band + 1) * width), 'base64url').slice(0, 16),
  );
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

// Every character an EMAIL match can hold. A match lies inside one unbroken run of them, and
// EMAIL has no anchors or look-arounds, so matching it run by run finds exactly what matching
// the whole text finds; runs without "@" cannot match, so only the runs around an "@" are read.
const RUN_CHAR = /^[\p{L}\p{N}._%+@-]$/u;

/** `text.normalize('NFKC').match(EMAIL)`, without running EMAIL over the whole resume. */
function emailsIn(text: string): string[] {
  // No "@" (also none that NFKC makes from the full-width and small forms): no email.
  if (!/[@\uFE6B\uFF20]/.test(text)) return [];
  const t = text.normalize('NFKC');
  const found: string[] = [];
  let done = 0;
  for (let at = t.indexOf('@'); at !== -1; at = t.indexOf('@', done)) {
    let start = at;
    while (start > done) {
      // A letter outside the BMP is a surrogate pair: test it whole.
      const pair = start - 2 >= done && /[\uDC00-\uDFFF]/.test(t[start - 1]!) ? 2 : 1;
      if (!RUN_CHAR.test(t.slice(start - pair, start))) break;
      start -= pair;
    }
    let end = at + 1;
    while (end < t.length) {
      const width = (t.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
      if (!RUN_CHAR.test(t.slice(end, end + width))) break;
      end += width;
    }
    for (const email of t.slice(start, end).match(EMAIL) ?? []) found.push(email);
    done = end;
  }
  return found;
}

/**
 * The candidate's contact identity found in the text: emails (lower case) and phone numbers (last
 * ten digits), each as a salted sha256 so no personal data is stored for the comparison.
 */
export function candidateIdentity(text: string): string[] {
  const ids = new Set<string>();
  for (const email of emailsIn(text)) ids.add(`e:${email.toLowerCase()}`);
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

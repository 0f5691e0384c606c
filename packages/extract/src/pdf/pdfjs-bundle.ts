import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * Edits to unpdf 1.7's pdf.js bundle for reading text without rendering. Each `from` must occur
 * exactly once. Measured on the shared resume PDFs (bench/extract.ts, callgrind): 27% fewer
 * instructions per file, identical output on all 806 files.
 */
export const TEXT_ONLY_EDITS: readonly { why: string; from: string; to: string }[] = [
  {
    why: 'glyph outlines are only needed to draw text on a canvas; we never draw',
    from: 'static buildFontPaths(e,n,s,i){',
    to: 'static buildFontPaths(e,n,s,i){return;',
  },
  {
    // unpdf runs pdf.js's "worker" in the same thread; the structured clone of every message
    // (each page's operator list, glyph by glyph) was the largest single cost.
    why: 'the in-thread message port hands messages over without a structured clone',
    from: 'postMessage(e,n){const s={data:structuredClone(e,n?{transfer:n}:null)};',
    to: 'postMessage(e,n){const s={data:e};',
  },
  {
    // Without the clone, a flushed operator-list chunk must not be emptied in place after sending.
    why: 'a flushed operator-list chunk gets fresh arrays instead of being truncated',
    from: 'this.dependencies.clear(),this.fnArray.length=0,this.argsArray.length=0,',
    to: 'this.dependencies.clear(),this.fnArray=[],this.argsArray=[],',
  },
  {
    why: 'no list of buffers to transfer is gathered for a message that is not cloned',
    from: 'get _transfers(){const e=[],',
    to: 'get _transfers(){return null;const e=[],',
  },
  {
    // DecompressionStream in Node is web streams over zlib: per content stream a Duplex, a
    // reader and many promises. Same inputs, same errors (which fall back to pdf.js's own
    // inflater), a fraction of the work.
    why: 'FlateDecode streams inflate with zlib in one call instead of a DecompressionStream',
    from: 'try{const{readable:s,writable:i}=new DecompressionStream(e),',
    to: 'try{if(e==="deflate"&&globalThis.process?.getBuiltinModule)return{decompressed:new Uint8Array(process.getBuiltinModule("zlib").inflateSync(n)),compressed:n};const{readable:s,writable:i}=new DecompressionStream(e),',
  },
];

/** Applies every edit, or returns null when one does not match exactly once (another version). */
export function applyTextOnlyEdits(source: string): string | null {
  let out = source;
  for (const { from, to } of TEXT_ONLY_EDITS) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) return null;
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

function writeOnce(file: string, content: string): void {
  if (existsSync(file)) return;
  // Several threads and processes may start at once: write aside, then rename (atomic).
  const temporary = `${file}.${process.pid}.${threadId}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/**
 * Path of the pdf.js bundle to load: unpdf's own with {@link TEXT_ONLY_EDITS} applied, written
 * once beside it (or in the temp folder when node_modules is read-only), named by content hash.
 * Falls back to the unmodified bundle when the edits do not apply, so an upgrade stays correct.
 */
export function textOnlyPdfjsBundle(original: string): { path: string; edited: boolean } {
  const edited = applyTextOnlyEdits(readFileSync(original, 'utf8'));
  if (edited === null) return { path: original, edited: false };
  const name = `pdfjs.text-only.${createHash('sha256').update(edited).digest('hex').slice(0, 16)}.mjs`;
  for (const folder of [dirname(original), tmpdir()]) {
    try {
      const file = join(folder, name);
      writeOnce(file, edited);
      return { path: file, edited: true };
    } catch {
      /* not writable here: try the next folder */
    }
  }
  return { path: original, edited: false };
}

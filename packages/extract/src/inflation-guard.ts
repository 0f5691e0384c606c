import { inflateRawSync, inflateSync, constants } from 'node:zlib';

/** Limits on what a compressed file may expand to before a parser is let near it. */
export interface InflationLimits {
  /** Bytes all compressed parts of one file may inflate to, together. */
  maxInflatedBytes: number;
  /** Entries a DOCX (zip) may hold. */
  maxZipEntries: number;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Inflates `data`, failing (null) once more than `room` bytes would come out. */
function inflateWithin(data: Buffer, room: number, raw: boolean): number | null {
  try {
    const options = { maxOutputLength: Math.max(1, room + 1), finishFlush: constants.Z_SYNC_FLUSH };
    const out = raw ? inflateRawSync(data, options) : inflateSync(data, options);
    return out.length > room ? null : out.length;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return null;
    if (error instanceof RangeError) return null;
    // Damaged data is the parser's business (it reports corrupt); only size is judged here.
    return 0;
  }
}

/**
 * Why a DOCX must not be opened (a zip bomb), or null. Entries are counted from the central
 * directory and every deflated entry is really inflated, under a cap, because the sizes written
 * in the headers are the attacker's to choose.
 */
export function zipBombReason(bytes: Uint8Array, limits: InflationLimits): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return null;
  const entries = buf.readUInt16LE(eocd + 10);
  if (entries > limits.maxZipEntries)
    return `The DOCX holds ${entries === 0xffff ? 'more than 65,000' : entries.toLocaleString('en-US')} parts (the limit is ${limits.maxZipEntries.toLocaleString('en-US')}); it looks like a zip bomb and was not opened.`;
  let at = buf.readUInt32LE(eocd + 16);
  let room = limits.maxInflatedBytes;
  const tooBig = `The DOCX expands to more than ${mib(limits.maxInflatedBytes)} when unpacked (a zip bomb?); it was not opened.`;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    at += 46 + nameLength + extraLength + commentLength;
    if (declared > room) return tooBig;
    if (method === 0) {
      room -= Math.min(declared, compressed);
      continue;
    }
    if (method !== 8 || local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, Math.min(buf.length, start + compressed));
    const inflated = inflateWithin(data, room, true);
    if (inflated === null) return tooBig;
    room -= inflated;
  }
  return null;
}

/**
 * Why a PDF must not be parsed (a decompression bomb), or null. Every FlateDecode stream is
 * inflated under one shared cap before pdf.js sees the file.
 */
export function pdfBombReason(bytes: Uint8Array, limits: InflationLimits): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  let room = limits.maxInflatedBytes;
  const streamStart = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streamStart.exec(text))) {
    if (match.index > 0 && /[a-z]/i.test(text[match.index - 1]!)) continue; // `endstream`
    const dictStart = text.lastIndexOf('<<', match.index);
    const dict = dictStart >= 0 ? text.slice(dictStart, match.index) : '';
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    const stop = end < 0 ? text.length : end;
    streamStart.lastIndex = stop;
    if (!/\/(FlateDecode|Fl)\b/.test(dict)) continue;
    const inflated = inflateWithin(buf.subarray(start, stop), room, false);
    if (inflated === null)
      return `The PDF expands to more than ${mib(limits.maxInflatedBytes)} when its streams are unpacked (a decompression bomb?); it was not read.`;
    room -= inflated;
  }
  return null;
}

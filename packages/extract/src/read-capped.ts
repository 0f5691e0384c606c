/**
 * Reads a file from a stream into memory, but never more than `maxBytes + 1` bytes: past the
 * limit it stops pulling and destroys the source, so an oversized upload costs at most the
 * limit in memory (the one extra byte lets extraction report "larger than the limit").
 */
export async function readCapped(
  source: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void },
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const room = maxBytes + 1 - size;
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, room));
    chunks.push(piece);
    size += piece.length;
    if (size > maxBytes) {
      source.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks, size);
}

import { Readable } from 'node:stream';
import { FIXTURE_NOW, generateResumeSpecs, resumePdf } from '@shortlist/testkit';
import { createExtractor } from './extractor';
import { readCapped } from './read-capped';

/** A stream of `chunks` chunks of 64 KiB that counts how many were pulled. */
function counted(chunks: number) {
  const state = { pulled: 0, destroyed: false };
  const stream = new Readable({
    highWaterMark: 1,
    read() {
      if (state.pulled >= chunks) return this.push(null);
      state.pulled++;
      this.push(Buffer.alloc(64 * 1024, 0x41));
    },
  });
  stream.on('close', () => (state.destroyed = true));
  return { stream, state };
}

describe('reading a file from a stream with a byte cap', () => {
  it('keeps a file under the cap whole', async () => {
    const { stream } = counted(3);
    const bytes = await readCapped(stream, 1024 * 1024);
    expect(bytes.length).toBe(3 * 64 * 1024);
  });

  it('stops pulling an oversized stream one byte past the cap and destroys it', async () => {
    const { stream, state } = counted(800); // 50 MiB on offer
    const bytes = await readCapped(stream, 1024 * 1024);
    expect(bytes.length).toBe(1024 * 1024 + 1);
    // 16 chunks fill the cap, the 17th crosses it; the stream may have one more buffered.
    expect(state.pulled).toBeLessThanOrEqual(18);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.destroyed).toBe(true);
  });

  it('extracts from a stream exactly as from bytes, and refuses an oversized one with the limit', async () => {
    const [spec] = generateResumeSpecs(1);
    const pdf = await resumePdf(spec!);
    const extractor = createExtractor({ threads: 0, maxBytes: 2 * 1024 * 1024 });
    try {
      const fromBytes = await extractor.extract(pdf, { now: FIXTURE_NOW });
      const fromStream = await extractor.extractStream(
        Readable.from([pdf.subarray(0, 1000), pdf.subarray(1000)]),
        { now: FIXTURE_NOW },
      );
      expect({ ...fromStream, durationMs: 0 }).toEqual({ ...fromBytes, durationMs: 0 });
      expect(fromStream.profile.email).toBe(spec!.email);

      const { stream } = counted(800);
      const big = await extractor.extractStream(stream);
      expect(big.verdict).toBe('unsupported');
      expect(big.reason).toBe('The file is larger than the 2 MiB limit.');
    } finally {
      await extractor.close();
    }
  });
});

import fc from 'fast-check';
import request from 'supertest';
import {
  EXTRACT_DEFAULTS,
  createExtractor,
  extractBytes,
  parseResumeText,
  sniff,
  type Extractor,
} from '@shortlist/extract';
import {
  generateResumeSpecs,
  resumeDocx,
  resumeHtml,
  resumePdf,
  resumeRtf,
  resumeText,
  type ResumeSpec,
} from '@shortlist/testkit';
import { pdfBombReason, zipBombReason } from '../../packages/extract/src/inflation-guard';
import { safeFileName } from '../../apps/gateway/src/uploads/receive-files';
import { gatewayHarness, type Harness } from '../../apps/gateway/test/harness';
import { createJob } from '../../apps/gateway/test/helpers';

/**
 * Property-based fuzzing with fast-check: 10,000 cases in all, split so CI stays quick.
 *  - 4,000 mutated PDF/DOCX byte strings through the checks that run before any parser
 *    (type sniffing, zip and decompression bomb guards);
 *  - 3,000 mutated text/HTML/RTF files and random bytes through the extractor in-process;
 *  - 1,500 mutated PDF/DOCX files through the threaded extractor (time limit 3 s per file);
 *  - 1,500 random multipart bodies (and names, headers, boundaries) over HTTP to the gateway.
 * No case may throw, crash a thread or the process, or get a 5xx. FUZZ_SEED picks the seed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const VALID_VERDICTS = [
  'ok',
  'empty',
  'garbled',
  'truncated',
  'encrypted',
  'corrupt',
  'unsupported',
];

/** A byte-level mutation: flips, overwrites, a cut and an insertion, positions as fractions. */
const mutation = fc.record({
  edits: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(255)), {
    maxLength: 12,
  }),
  cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  insert: fc.option(
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ maxLength: 256 })),
    {
      nil: undefined,
    },
  ),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: Buffer, m: Mutation): Buffer {
  let bytes = Buffer.from(source);
  for (const [at, value] of m.edits) bytes[Math.floor(at * (bytes.length - 1))] = value;
  if (m.insert) {
    const at = Math.floor(m.insert[0] * bytes.length);
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.insert[1]), bytes.subarray(at)]);
  }
  if (m.cutAt !== undefined) bytes = bytes.subarray(0, Math.floor(m.cutAt * bytes.length));
  return bytes;
}

describe('security: fuzzing files and uploads (fast-check, 10,000 cases)', () => {
  let binaries: Buffer[];
  let texts: Buffer[];
  beforeAll(async () => {
    const specs = generateResumeSpecs(2, { seed: 7 }) as [ResumeSpec, ResumeSpec];
    binaries = [
      await resumePdf(specs[0]),
      await resumePdf(specs[1], { hidden: true }),
      await resumeDocx(specs[0]),
      await resumeDocx(specs[1], { tables: true, hidden: true }),
    ];
    texts = [
      Buffer.from(resumeText(specs[0])),
      Buffer.from(resumeHtml(specs[1])),
      Buffer.from(resumeRtf(specs[0])),
    ];
  }, 60_000);

  it('4,000 mutated PDF/DOCX files pass the pre-parser checks without throwing', () => {
    const limits = { maxInflatedBytes: 8 * 1024 * 1024, maxZipEntries: 2_000 };
    fc.assert(
      fc.property(fc.nat(3), mutation, (which, m) => {
        const bytes = mutate(binaries[which]!, m);
        const kind = sniff(bytes.subarray(0, 4096)).kind;
        expect(typeof kind).toBe('string');
        const zip = zipBombReason(bytes, limits);
        const pdf = pdfBombReason(bytes, limits);
        expect(zip === null || typeof zip === 'string').toBe(true);
        expect(pdf === null || typeof pdf === 'string').toBe(true);
      }),
      { numRuns: 4_000, seed: SEED },
    );
  });

  it('3,000 mutated text/HTML/RTF files and random bytes are read in-process with a verdict', async () => {
    const file = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.nat(2), mutation).map(([i, m]) => mutate(texts[i]!, m)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4_096 }).map((a) => Buffer.from(a)) },
      {
        weight: 1,
        arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }).map((s) => Buffer.from(s)),
      },
    );
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const result = await extractBytes(bytes, { limits: EXTRACT_DEFAULTS });
        expect(VALID_VERDICTS).toContain(result.verdict);
        if (result.verdict !== 'ok') expect(result.reason).toEqual(expect.any(String));
        parseResumeText(bytes.toString('utf8'));
      }),
      { numRuns: 3_000, seed: SEED },
    );
  }, 180_000);

  describe('through the threaded extractor', () => {
    let extractor: Extractor;
    beforeAll(() => {
      extractor = createExtractor({ threads: 1, timeoutMs: 3_000 });
    });
    afterAll(() => extractor.close());

    it('1,500 mutated PDF/DOCX files come back with a verdict; the process carries on', async () => {
      let results = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat(3), mutation, async (which, m) => {
          const result = await extractor.extract(mutate(binaries[which]!, m));
          expect(VALID_VERDICTS).toContain(result.verdict);
          if (result.verdict !== 'ok') expect(result.reason).toEqual(expect.any(String));
          results++;
        }),
        { numRuns: 1_500, seed: SEED },
      );
      expect(results).toBe(1_500);
      // The threads are still good for a clean file afterwards.
      expect((await extractor.extract(binaries[0]!)).verdict).toBe('ok');
    }, 240_000);
  });

  describe('over HTTP to the gateway', () => {
    let h: Harness;
    let jobId: string;
    let url: string;
    beforeAll(async () => {
      h = await gatewayHarness({ limits: { maxFiles: 20, maxFileBytes: 64 * 1024 } });
      jobId = await createJob(h);
      ({ url } = await h.listen());
    });
    afterAll(() => h.close());

    const token = fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,40}$/);
    const headerLine = fc.oneof(
      token.map((t) => `Content-Disposition: form-data; name="files"; filename="${t}"`),
      fc
        .string({ unit: 'grapheme', maxLength: 60 })
        .map(
          (t) =>
            `Content-Disposition: form-data; name="files"; filename*=UTF-8''${encodeURIComponent(t)}`,
        ),
      fc.constant('Content-Disposition: form-data; name="files"'),
      fc.constant('Content-Type: application/pdf'),
      fc.string({ unit: 'binary-ascii', maxLength: 80 }),
    );
    const part = fc.record({
      headers: fc.array(headerLine, { maxLength: 4 }),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
        fc.tuple(fc.nat(2), mutation).map(([i, m]) => mutate(texts[i]!, m).subarray(0, 2_048)),
      ),
    });
    const upload = fc.record({
      boundary: fc.oneof(fc.constant('b0und'), token),
      declared: fc.oneof(
        fc.constant('multipart/form-data; boundary=%B'),
        fc.constant('multipart/form-data'),
        fc.constant('multipart/form-data; boundary="%B"'),
        fc.constant('multipart/mixed; boundary=%B'),
        fc.constant('text/plain'),
        fc.constant('application/json'),
      ),
      parts: fc.array(part, { maxLength: 6 }),
      closed: fc.boolean(),
      junk: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    });

    it('1,500 random multipart bodies never get a 5xx, and the service keeps answering', async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(upload, async (u) => {
          const chunks: Buffer[] = [u.junk];
          for (const p of u.parts) {
            chunks.push(
              Buffer.from(`--${u.boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n`, 'latin1'),
            );
            chunks.push(p.body, Buffer.from('\r\n'));
          }
          if (u.closed) chunks.push(Buffer.from(`--${u.boundary}--\r\n`));
          const res = await request(url)
            .post(`/v1/jobs/${jobId}/batches`)
            .set('authorization', h.alice.auth)
            .set('content-type', u.declared.replace('%B', u.boundary))
            .send(Buffer.concat(chunks));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          expect([202, 400, 413, 415]).toContain(res.status);
        }),
        { numRuns: 1_500, seed: SEED },
      );
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1_500);
      // Both outcomes were exercised: some bodies were accepted, some refused.
      expect(statuses.get(202) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
      await request(h.app).get('/healthz').expect(200);
      expect(safeFileName('../x')).toBe('x');
    }, 240_000);
  });
});

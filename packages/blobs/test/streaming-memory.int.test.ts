import { join } from 'node:path';
import {
  REPO_ROOT,
  startProcess,
  startS3Server,
  tempDir,
  type S3TestServer,
} from '@shortlist/testkit';

const BLOB_BYTES = 200 * 1024 * 1024;
const MAX_GROWTH = 64 * 1024 * 1024;

interface Measurement {
  baseline: number;
  peak: number;
  uploaded: number;
  uploadSha256: string;
  downloaded: number;
  downloadSha256: string;
}

/** Streams a 200 MB blob up and down in a child process and returns what it measured. */
async function measure(options: object): Promise<Measurement> {
  const child = startProcess(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(__dirname, 'stream-rss.ts'),
      JSON.stringify({ bytes: BLOB_BYTES, ...options }),
    ],
    { cwd: REPO_ROOT, label: 'stream-rss' },
  );
  try {
    const [, json] = (await child.waitFor(/RESULT (.*)\n/, 170_000)) as unknown as [string, string];
    return JSON.parse(json) as Measurement;
  } finally {
    await child.stop();
  }
}

function expectStreamed(m: Measurement): void {
  expect(m.uploaded).toBe(BLOB_BYTES);
  expect(m.downloaded).toBe(BLOB_BYTES);
  expect(m.downloadSha256).toBe(m.uploadSha256);
  expect(m.peak - m.baseline).toBeLessThan(MAX_GROWTH);
}

describe('a 200 MB blob streams up and down with memory growing < 64 MB', () => {
  it('local folder', async () => {
    const dir = await tempDir('blobs-rss');
    try {
      expectStreamed(await measure({ local: { dir: dir.path } }));
    } finally {
      await dir.remove();
    }
  }, 180_000);

  it('S3 (multipart upload, streaming download)', async () => {
    const server: S3TestServer = await startS3Server();
    try {
      expectStreamed(
        await measure({
          s3: {
            bucket: server.bucket,
            region: server.region,
            endpoint: server.endpoint,
            forcePathStyle: server.forcePathStyle,
            accessKeyId: server.accessKeyId,
            secretAccessKey: server.secretAccessKey,
            prefix: server.prefix,
          },
        }),
      );
    } finally {
      await server.stop();
    }
  }, 180_000);
});

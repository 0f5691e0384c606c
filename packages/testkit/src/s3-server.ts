import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startProcess } from './process';
import { tempDir } from './temp';

/** Where an S3-compatible server answers, and the bucket tests may use. */
export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** A key prefix no other test uses; tests write under it. */
  prefix: string;
  /** The PID of the server process we started, or null for an external server. */
  pid: number | null;
  /** Stops the server we started (by PID) and removes its files; no-op for an external server. */
  stop(): Promise<void>;
}

/**
 * An S3 server for tests. By default starts `s3rver` on 127.0.0.1 (a free port, files in a temp
 * folder) in a child process. To run the same tests against a real S3 or MinIO, set
 * `TEST_S3_ENDPOINT`, `TEST_S3_BUCKET` (must exist), `TEST_S3_REGION`, `TEST_S3_ACCESS_KEY_ID`,
 * `TEST_S3_SECRET_ACCESS_KEY` and optionally `TEST_S3_FORCE_PATH_STYLE=false`.
 */
export async function startS3Server(): Promise<S3TestServer> {
  const prefix = `test-${randomBytes(4).toString('hex')}/`;
  const external = process.env.TEST_S3_ENDPOINT;
  if (external) {
    return {
      endpoint: external,
      bucket: required('TEST_S3_BUCKET'),
      region: process.env.TEST_S3_REGION ?? 'us-east-1',
      accessKeyId: required('TEST_S3_ACCESS_KEY_ID'),
      secretAccessKey: required('TEST_S3_SECRET_ACCESS_KEY'),
      forcePathStyle: process.env.TEST_S3_FORCE_PATH_STYLE !== 'false',
      prefix,
      pid: null,
      stop: async () => {},
    };
  }
  const dir = await tempDir('s3rver');
  const bucket = 'shortlist-test';
  const server = startProcess(
    process.execPath,
    [join(__dirname, 's3rver.process.cjs'), dir.path, bucket],
    { label: 's3rver' },
  );
  try {
    const [, port] = (await server.waitFor(/S3RVER LISTENING (\d+)/, 60_000)) as unknown as [
      string,
      string,
    ];
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'us-east-1',
      // s3rver's fixed development credentials.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix,
      pid: server.pid,
      stop: async () => {
        await server.stop();
        await dir.remove();
      },
    };
  } catch (error) {
    await server.stop('SIGKILL');
    await dir.remove();
    throw error;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set when TEST_S3_ENDPOINT is`);
  return value;
}

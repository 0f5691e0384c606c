import { EnvError, bool, commonEnv, int, parseEnv, storageEnv, url, z } from './index';

const schema = z.object({
  ...commonEnv,
  PORT: int(8080, 0, 65_535),
  FEATURE: bool(false),
  UPSTREAM: url(undefined, ['http', 'https']).optional(),
});

describe('parseEnv', () => {
  it('applies defaults when variables are unset or empty', () => {
    const env = parseEnv(schema, { PORT: '', FEATURE: undefined });
    expect(env).toMatchObject({ PORT: 8080, FEATURE: false, REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('coerces numbers and explicit booleans', () => {
    expect(parseEnv(schema, { PORT: '3000', FEATURE: 'yes' })).toMatchObject({
      PORT: 3000,
      FEATURE: true,
    });
  });

  it('names every bad variable in one error', () => {
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: 'eighty', FEATURE: 'maybe', REDIS_URL: 'http://x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const message = (caught as EnvError).message;
    expect(message).toContain('PORT: must be a number');
    expect(message).toContain('FEATURE: must be one of');
    expect(message).toContain('REDIS_URL: must be a URL starting with redis://');
  });

  it('rejects out-of-range integers with the bound', () => {
    expect(() => parseEnv(schema, { PORT: '70000' })).toThrow('PORT: must be at most 65535');
  });
});

describe('storageEnv', () => {
  const storage = z.object({ ...commonEnv, ...storageEnv });

  function problems(env: Record<string, string>): string {
    try {
      parseEnv(storage, env);
    } catch (error) {
      if (error instanceof EnvError) return error.message;
      throw error;
    }
    return '';
  }

  it('defaults to the embedded SQLite store and local blobs', () => {
    expect(parseEnv(storage, {})).toMatchObject({
      STORE: 'sqlite',
      BLOBS: 'local',
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: false,
      S3_PART_SIZE_MB: 5,
      S3_UPLOAD_CONCURRENCY: 1,
      FIRESTORE_DATABASE_ID: '(default)',
    });
  });

  it('parses a Firestore + S3 deployment', () => {
    expect(
      parseEnv(storage, {
        STORE: 'firestore',
        FIRESTORE_PROJECT_ID: 'shortlist-prod',
        FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
        BLOBS: 's3',
        S3_BUCKET: 'shortlist-uploads',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'minio',
        S3_SECRET_ACCESS_KEY: 'minio-secret',
        S3_PREFIX: 'eu/shortlist/',
      }),
    ).toMatchObject({
      STORE: 'firestore',
      FIRESTORE_PROJECT_ID: 'shortlist-prod',
      S3_FORCE_PATH_STYLE: true,
      S3_PREFIX: 'eu/shortlist/',
    });
  });

  it('names the variable a backend needs when it is missing', () => {
    expect(problems({ STORE: 'firestore' })).toContain(
      'FIRESTORE_PROJECT_ID: is required when STORE=firestore',
    );
    expect(problems({ BLOBS: 's3' })).toContain('S3_BUCKET: is required when BLOBS=s3');
    expect(problems({ S3_ACCESS_KEY_ID: 'only-half' })).toContain('S3_SECRET_ACCESS_KEY: set both');
  });

  it('rejects malformed values, naming each variable', () => {
    const message = problems({
      FIRESTORE_EMULATOR_HOST: 'http://localhost:8080',
      S3_BUCKET: 'Not_A_Bucket',
      S3_ENDPOINT: 'ftp://x',
      S3_PREFIX: 'ok/../',
      S3_PART_SIZE_MB: '1',
    });
    expect(message).toContain('FIRESTORE_EMULATOR_HOST: must be host:port');
    expect(message).toContain('S3_BUCKET: must be a bucket name');
    expect(message).toContain('S3_ENDPOINT: must be a URL starting with http:// or https://');
    expect(message).toContain('S3_PREFIX: must be folder-like');
    expect(message).toContain('S3_PART_SIZE_MB: must be at least 5');
  });
});

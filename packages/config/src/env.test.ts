import { EnvError, bool, commonEnv, int, parseEnv, url, z } from './index';

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

import { AppError } from '@shortlist/contracts';
import { CursorCodec, clampLimit } from './cursor';
import { MAX_PAGE_SIZE } from './types';

const codec = new CursorCodec('unit-test-secret-0123456789');
const fp = CursorCodec.fingerprint(['resumes', 'usr_1', { jobId: 'job_1', tier: 'maybe' }]);

function decodeError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('CursorCodec', () => {
  it('round-trips a position for the same query', () => {
    const cursor = codec.encode({ values: ['2025-01-01T00:00:00.000Z', 72.5], id: 'res_9' }, fp);
    expect(codec.decode(cursor, fp, 2)).toEqual({
      values: ['2025-01-01T00:00:00.000Z', 72.5],
      id: 'res_9',
    });
  });

  it('fingerprints ignore key order and undefined members but not values', () => {
    expect(
      CursorCodec.fingerprint([
        'resumes',
        'usr_1',
        { tier: 'maybe', jobId: 'job_1', x: undefined },
      ]),
    ).toBe(fp);
    expect(
      CursorCodec.fingerprint(['resumes', 'usr_2', { jobId: 'job_1', tier: 'maybe' }]),
    ).not.toBe(fp);
  });

  it('rejects a cursor signed with another secret, for another query, or of the wrong shape', () => {
    const other = new CursorCodec('another-secret-0123456789');
    const cursor = codec.encode({ values: [1], id: 'res_1' }, fp);
    for (const [fn, why] of [
      [() => other.decode(cursor, fp, 1), /signature/],
      [() => codec.decode(cursor, 'another-query', 1), /another query/],
      [() => codec.decode(cursor, fp, 2), /malformed/],
      [() => codec.decode('not-a-cursor', fp, 1), /malformed/],
    ] as const) {
      const error = decodeError(fn);
      expect(error).toMatchObject({ code: 'invalid_cursor', status: 400, field: 'cursor' });
      expect(error.message).toMatch(why);
    }
  });

  it('refuses weak secrets', () => {
    expect(() => new CursorCodec('short')).toThrow(/16 characters/);
  });
});

describe('clampLimit', () => {
  it('keeps limits within 1..MAX_PAGE_SIZE and defaults when absent', () => {
    expect(clampLimit(undefined)).toBe(50);
    expect(clampLimit(Number.NaN)).toBe(50);
    expect(clampLimit(10_000)).toBe(MAX_PAGE_SIZE);
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(-3)).toBe(1);
    expect(clampLimit(12.7)).toBe(12);
  });
});

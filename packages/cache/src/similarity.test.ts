import { decideNearDuplicate, type NearMatch } from './near-duplicates';
import { candidateIdentity, minhash, sameCandidate, similarity } from './similarity';

const BODY = Array.from(
  { length: 60 },
  (_, i) => `Delivered project ${i} using TypeScript, PostgreSQL and Redis for client ${i * 7}.`,
).join('\n');

describe('near-duplicate similarity', () => {
  it('rates a re-formatted copy as near-identical and an unrelated resume as far', () => {
    const original = minhash(BODY);
    const reformatted = minhash(BODY.toUpperCase().replace(/\n/g, ' • '));
    const other = minhash(
      Array.from({ length: 60 }, (_, i) => `Managed ${i} retail stores and trained staff.`).join(
        '\n',
      ),
    );
    expect(similarity(original, reformatted)).toBe(1);
    expect(similarity(original, other)).toBeLessThan(0.2);
    const edited = minhash(BODY.replace('project 3 ', 'project three '));
    expect(similarity(original, edited)).toBeGreaterThan(0.9);
    expect(similarity(original, edited)).toBeLessThan(1);
  });

  it('finds emails and phone numbers, never year ranges, and compares them hashed', () => {
    const a = candidateIdentity('Jane Doe · JANE.DOE@Example.com · +1 (415) 555-0134');
    const b = candidateIdentity('jane.doe@example.com');
    const c = candidateIdentity('Phone 415-555-0134, worked 2014 - 2016 2017 2018');
    expect(a).toHaveLength(2);
    expect(a.join()).not.toContain('example');
    expect(sameCandidate(a, candidateIdentity('+1 415 555 0134 jane.doe@EXAMPLE.com'))).toBe(true);
    // Sharing one contact while another differs (a template's company phone) is not the same person.
    expect(sameCandidate(a, b)).toBe(false);
    expect(sameCandidate(c, candidateIdentity('415.555.0134'))).toBe(true);
    expect(candidateIdentity('Acme 2014 - 2016, 2017 - 2019, 2019 2020 2021')).toEqual([]);
    expect(candidateIdentity('Mobile: 9876543210')).toHaveLength(1);
    expect(sameCandidate([], [])).toBe(false);
  });
});

describe('the safe-reuse rule', () => {
  const me = candidateIdentity('me@example.com');
  const someoneElse = candidateIdentity('other@example.com');
  const match = (similarity: number, identity: string[]): NearMatch => ({
    textHash: `h${similarity}`,
    resumeId: `res_${similarity}`,
    similarity,
    identity,
  });

  it('reuses only above the threshold AND for the same candidate', () => {
    expect(decideNearDuplicate([match(0.97, me)], me)).toEqual({
      kind: 'reuse',
      match: match(0.97, me),
    });
    expect(decideNearDuplicate([match(0.99, someoneElse)], me).kind).toBe('flag');
    expect(decideNearDuplicate([match(0.99, [])], [])).toEqual({
      kind: 'flag',
      match: match(0.99, []),
    });
    expect(decideNearDuplicate([match(0.9, me)], me).kind).toBe('flag');
    expect(decideNearDuplicate([match(0.5, me)], me)).toEqual({ kind: 'none' });
  });

  it('prefers a reusable match over a closer match of another candidate', () => {
    const decision = decideNearDuplicate([match(1, someoneElse), match(0.96, me)], me);
    expect(decision).toEqual({ kind: 'reuse', match: match(0.96, me) });
  });
});

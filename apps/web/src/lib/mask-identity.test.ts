import { HIDDEN, maskIdentity } from './mask-identity';

describe('blind-mode masking of the resume text', () => {
  const text =
    'JANE van Roe\njane.roe@example.com | (555) 123-4567 | github.com/janeroe\n' +
    'Jane built services in TypeScript. Janet reviewed them.';

  it('hides the name (each part, any case), email, phone and links, and nothing else', () => {
    const masked = maskIdentity(text, {
      name: 'Jane van Roe',
      email: 'jane.roe@example.com',
      phone: '(555) 123-4567',
      links: ['github.com/janeroe'],
    });
    expect(masked).not.toMatch(/jane\b|roe\b|555|github/i);
    expect(masked).toContain(`${HIDDEN} built services in TypeScript. Janet reviewed them.`);
    expect(masked.split('\n')[1]).toBe(`${HIDDEN} | ${HIDDEN} | ${HIDDEN}`);
  });

  it('leaves the text alone when extraction found no identity', () => {
    expect(maskIdentity(text, { name: null, email: null, phone: null, links: [] })).toBe(text);
  });
});

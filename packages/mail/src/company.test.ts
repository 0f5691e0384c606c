import { checkCompanyInfo, localCompanyExtractor } from './company';

const extract = (description: string) => localCompanyExtractor.extract(description);

describe('localCompanyExtractor', () => {
  it.each([
    ['Company: Acme Data\nWe build pipelines.', 'Acme Data'],
    ['About Northwind Traders\n\nWe ship food worldwide.', 'Northwind Traders'],
    ['Join Smith & Sons as a senior engineer.', 'Smith & Sons'],
    ['Globex Corporation is hiring a backend engineer.', 'Globex Corporation'],
    ['At Initech, we value clean code.', 'Initech'],
  ])('finds the company in %p', async (description, name) => {
    expect((await extract(description)).name).toBe(name);
  });

  it('finds the contact and the first address to write to', async () => {
    const info = await extract(
      'Company: Acme Data\nThe role: Spark pipelines.\nContact: Jane Doe\nQuestions? careers@Acme.example or jobs@acme.example',
    );
    expect(info).toEqual({
      name: 'Acme Data',
      contactName: 'Jane Doe',
      replyTo: 'careers@acme.example',
    });
  });

  it('finds nothing rather than something wrong', async () => {
    for (const description of [
      'About the role\nYou will build Spark pipelines.',
      'Join our team of engineers!',
      'About Us\nWe are a small shop.',
      'Node.js services in TypeScript with PostgreSQL.',
      '',
    ])
      expect(await extract(description)).toEqual({ name: null, contactName: null, replyTo: null });
  });
});

describe('checkCompanyInfo', () => {
  const description = 'Acme Data is hiring. Contact: Jane Doe, jobs@acme.example';

  it('keeps only values the description states, on one line', () => {
    expect(
      checkCompanyInfo(
        { name: 'Acme Data', contactName: 'Jane Doe', replyTo: 'jobs@acme.example' },
        description,
      ),
    ).toEqual({ name: 'Acme Data', contactName: 'Jane Doe', replyTo: 'jobs@acme.example' });
    // Guessed by a model: not in the text, so not used as the sender.
    expect(
      checkCompanyInfo(
        { name: 'Acme Corp', contactName: 'John Roe', replyTo: 'hr@acme.example' },
        description,
      ),
    ).toEqual({ name: null, contactName: null, replyTo: null });
  });

  it('refuses values that could break a header or carry markup', () => {
    const hostile = 'Acme\r\nBcc: all@evil.example is hiring. Write to <b>x</b>@evil.example';
    expect(
      checkCompanyInfo(
        { name: 'Acme\r\nBcc: all@evil.example', contactName: '<b>x</b>', replyTo: 'a@b' },
        hostile,
      ),
    ).toEqual({ name: null, contactName: null, replyTo: null });
  });
});

import { composeMessage } from './transports';
import { renderEmail } from './render';
import { unsubscribeFooter, unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe';

const secret = 'unsubscribe-test-secret-123';

describe('unsubscribe tokens', () => {
  it('round-trips the tenant and the lower-cased address', () => {
    const token = unsubscribeToken(secret, { userId: 'usr_1', address: 'Ada@Example.test' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribeToken(secret, token)).toEqual({
      userId: 'usr_1',
      address: 'ada@example.test',
    });
  });

  it('refuses forged, altered and malformed tokens', () => {
    const token = unsubscribeToken(secret, { userId: 'usr_1', address: 'ada@example.test' });
    const [, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify(['usr_2', 'ada@example.test'])).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken('another-secret-entirely', token)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${otherPayload}.${signature}`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${token}x`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${token}.x`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, 'nonsense')).toBeNull();
    expect(verifyUnsubscribeToken(secret, '')).toBeNull();
  });
});

describe('unsubscribe link in a message', () => {
  const url = 'https://shortlist.example/v1/unsubscribe/abc.def';

  it('ends the text after a signature delimiter and links it in the HTML', () => {
    const rendered = renderEmail(
      { subject: 'Hello {{candidateName}}', body: 'Dear {{candidateName}},\n\nThanks.' },
      {
        candidateName: 'Ada',
        candidateFirstName: 'Ada',
        jobTitle: 'Engineer',
        companyName: 'Acme',
        recruiterSignature: 'Jane',
        schedulingLink: null,
        rejectionReason: null,
        personalNote: null,
      },
      { footer: unsubscribeFooter('Acme', url) },
    );
    if (!rendered.ok) throw new Error(rendered.message);
    expect(rendered.email.text).toBe(
      `Dear Ada,\n\nThanks.\n\n-- \nTo stop receiving emails from Acme, open ${url}\n`,
    );
    expect(rendered.email.html).toContain(`<a href="${url}">${url}</a>`);
  });

  it('adds one-click List-Unsubscribe headers', async () => {
    const raw = (
      await composeMessage({
        from: { name: 'Acme', address: 'jobs@acme.test' },
        to: 'ada@example.test',
        subject: 'Hello',
        text: 'Hi',
        messageId: '<eml_1@acme.test>',
        unsubscribeUrl: url,
      })
    ).toString('utf8');
    expect(raw).toMatch(new RegExp(`^List-Unsubscribe: <${url.replace(/\./g, '\\.')}>`, 'm'));
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  });
});

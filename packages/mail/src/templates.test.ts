import {
  DEFAULT_TEMPLATES,
  TEMPLATE_VARIABLES,
  checkTemplate,
  type TemplateValues,
} from './templates';
import { emailRenderer, renderEmail } from './render';
import { checkAddress } from './address';
import { classifySendError } from './errors';

const values: TemplateValues = {
  candidateName: 'Ada Lovelace',
  candidateFirstName: 'Ada',
  jobTitle: 'Analyst',
  companyName: 'Engines Ltd',
  recruiterSignature: 'Charles\nHiring manager',
  schedulingLink: null,
  rejectionReason: null,
  personalNote: null,
};

describe('templates', () => {
  it('accepts the built-in templates', () => {
    expect(checkTemplate(DEFAULT_TEMPLATES.invite)).toEqual([]);
    expect(checkTemplate(DEFAULT_TEMPLATES.reject)).toEqual([]);
  });

  it('names every unknown variable, in sections too', () => {
    const problems = checkTemplate({
      subject: 'Hi {{candidateName}}',
      body: '{{#perks}}{{perk}}{{/perks}} {{{salary}}} {{> partial}}',
    });
    expect(problems).toEqual([
      {
        field: 'body',
        message: expect.stringMatching(
          /^unknown template variables: perks, perk, salary, partial /,
        ),
      },
    ]);
  });

  it('reports a template that does not parse', () => {
    expect(checkTemplate({ subject: 'x', body: '{{#open}} never closed' })[0]).toMatchObject({
      field: 'body',
      message: expect.stringMatching(/does not parse/),
    });
  });

  it('lists the documented variables', () => {
    expect(TEMPLATE_VARIABLES).toContain('schedulingLink');
  });
});

describe('renderEmail', () => {
  it('renders text verbatim and HTML escaped', () => {
    const result = renderEmail(DEFAULT_TEMPLATES.invite, {
      ...values,
      candidateName: 'Ada <b>"Lovelace"</b> & co',
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.email.subject).toBe('Interview invitation: Analyst at Engines Ltd');
    expect(result.email.text).toContain('Dear Ada <b>"Lovelace"</b> & co,');
    expect(result.email.html).toContain(
      'Dear Ada &lt;b&gt;&quot;Lovelace&quot;&lt;/b&gt; &amp; co,',
    );
    expect(result.email.text).toContain('Please reply to this email with a few times');
    expect(result.email.text).toContain('Charles\nHiring manager');
    expect(result.email.html).toContain('Charles<br>\nHiring manager');
  });

  it('fills optional sections only when a value is given', () => {
    const withLink = renderEmail(DEFAULT_TEMPLATES.invite, {
      ...values,
      schedulingLink: 'https://cal.test/x',
      personalNote: 'Your SQL stood out.',
    });
    if (!withLink.ok) throw new Error(withLink.message);
    expect(withLink.email.text).toContain('choose a time that suits you here: https://cal.test/x');
    expect(withLink.email.text).not.toContain('Please reply to this email');
    expect(withLink.email.text).toContain('\n\nYour SQL stood out.\n\n');
    expect(withLink.email.text).not.toMatch(/\n{3,}/);
  });

  it('refuses a subject that a value would break across lines', () => {
    const result = renderEmail(DEFAULT_TEMPLATES.reject, {
      ...values,
      jobTitle: 'Analyst\r\nBcc: all@example.test',
    });
    expect(result).toMatchObject({ ok: false, field: 'subject' });
  });
});

describe('emailRenderer', () => {
  it('renders one template for many candidates, each with only their own values', () => {
    const render = emailRenderer(DEFAULT_TEMPLATES.invite);
    const emails = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'].map((name, i) =>
      render(
        { ...values, candidateName: name, personalNote: i === 1 ? 'Your COBOL stood out.' : null },
        { footer: `Unsubscribe: https://u.test/${i}` },
      ),
    );
    const texts = emails.map((e) => (e.ok ? e.email.text : e.message));
    expect(texts[0]).toContain('Dear Ada Lovelace,');
    expect(texts[1]).toContain('Dear Grace Hopper,');
    expect(texts[1]).toContain('Your COBOL stood out.');
    expect(texts[2]).toContain('Dear Alan Turing,');
    expect(texts[0]).not.toContain('COBOL');
    expect(texts[2]).toContain('https://u.test/2');
    expect(texts[2]).not.toContain('https://u.test/1');
    // Same result as rendering that candidate alone.
    expect(emails[1]).toEqual(
      renderEmail(
        DEFAULT_TEMPLATES.invite,
        { ...values, candidateName: 'Grace Hopper', personalNote: 'Your COBOL stood out.' },
        { footer: 'Unsubscribe: https://u.test/1' },
      ),
    );
  });
});

describe('checkAddress', () => {
  it.each([
    ['jane.doe+jobs@Example.COM', 'jane.doe+jobs@example.com'],
    ['  bob@example.test ', 'bob@example.test'],
  ])('accepts %p', (raw, normalised) => {
    expect(checkAddress(raw)).toEqual({ ok: true, address: normalised });
  });

  it.each([
    ['', /no email address/],
    ['plainaddress', /not a valid/],
    ['a@b', /not a valid/],
    ['Jane <jane@example.com>', /not a valid/],
    ['jane@example.com\r\nBcc: x@example.com', /line break/],
    [`${'a'.repeat(250)}@example.com`, /too long/],
  ])('refuses %p', (raw, reason) => {
    const result = checkAddress(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('classifySendError', () => {
  it('retries 4xx, gives up on 5xx, treats no reply as a connection problem', () => {
    expect(classifySendError({ responseCode: 451, response: '451 try later' })).toMatchObject({
      kind: 'transient',
      code: 451,
    });
    expect(classifySendError({ responseCode: 550, response: '550 no such user' })).toEqual({
      kind: 'permanent',
      code: 550,
      reply: '550 no such user',
    });
    expect(
      classifySendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })),
    ).toMatchObject({ kind: 'connection', code: null });
  });
});

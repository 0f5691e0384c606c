import type { CompanyProfile } from '@shortlist/contracts';
import { senderProfile } from './email-sender';

const AT = '2026-12-04T00:00:00.000Z';
const fromJob = { name: 'Globex', contactName: 'Hank Scorpio', replyTo: 'talent@globex.example' };
const none = { name: null, contactName: null, replyTo: null };
const stored = (over: Partial<CompanyProfile> = {}): CompanyProfile => ({
  userId: 'usr_1',
  name: 'Acme',
  signature: 'Best,\nJane',
  replyTo: 'jane@acme.example',
  schedulingLink: 'https://cal.test/jane',
  updatedAt: AT,
  ...over,
});

describe('senderProfile', () => {
  it('uses what the job description says when the tenant has set nothing', () => {
    expect(
      senderProfile({ userId: 'usr_1', stored: null, accountName: 'Alice' }, fromJob, AT),
    ).toEqual({
      userId: 'usr_1',
      name: 'Globex',
      signature: 'Kind regards,\nHank Scorpio\nGlobex',
      replyTo: 'talent@globex.example',
      schedulingLink: null,
      updatedAt: AT,
    });
  });

  it('falls back to the account name when the description says nothing', () => {
    expect(
      senderProfile({ userId: 'usr_1', stored: null, accountName: 'Alice' }, none, AT),
    ).toMatchObject({
      name: 'Alice',
      signature: 'Kind regards,\nAlice',
      replyTo: null,
    });
  });

  it('keeps every value the tenant set, and fills only the gaps', () => {
    expect(
      senderProfile({ userId: 'usr_1', stored: stored(), accountName: null }, fromJob, AT),
    ).toEqual(stored());
    expect(
      senderProfile(
        { userId: 'usr_1', stored: stored({ signature: '', replyTo: null }), accountName: null },
        fromJob,
        AT,
      ),
    ).toMatchObject({
      name: 'Acme',
      signature: 'Kind regards,\nHank Scorpio\nAcme',
      replyTo: 'talent@globex.example',
      schedulingLink: 'https://cal.test/jane',
    });
  });
});

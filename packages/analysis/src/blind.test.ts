import { PII_RESUME, PII_VALUES } from '../test/fixtures';
import { redactForBlind } from './blind';

describe('blind mode redaction', () => {
  const profile = {
    name: 'Maria Gonzalez',
    email: 'maria.gonzalez@example.com',
    phone: '(555) 123-4567',
    links: ['linkedin.com/in/mariagonzalez'],
  };

  it.each(PII_VALUES)('removes %s', (value) => {
    expect(redactForBlind(PII_RESUME, profile)).not.toContain(value);
  });

  it('removes identity even without a profile from extraction, except the bare name', () => {
    const out = redactForBlind(PII_RESUME);
    for (const value of PII_VALUES.filter((v) => !['Maria', 'Gonzalez'].includes(v))) {
      expect(out).not.toContain(value);
    }
  });

  it('removes the location extraction read, wherever the resume repeats it', () => {
    const out = redactForBlind(
      'Lives in Springfield Gardens, Oregon. Cook at Springfield Gardens, Oregon diner.',
      {
        location: 'Springfield Gardens, Oregon',
      },
    );
    expect(out).not.toContain('Springfield Gardens');
    expect(out).toContain('diner');
  });

  it('keeps what the job is judged on: skills, roles, degrees and year ranges', () => {
    const out = redactForBlind(PII_RESUME, profile);
    expect(out).toContain('journal entries and reconciled general ledger accounts in SAP');
    expect(out).toContain('Staff Accountant, Acme Corp, 2015 - 2023');
    expect(out).toContain('Bachelor of Science in Accounting');
    expect(out).toContain('8 years of experience');
    expect(out).toMatch(/they led the month-end close and their team/i);
  });
});

import type { EmailMessage } from '../api/types';
import { cancelOutcome } from './cancel-outcome';

const email = (status: EmailMessage['status']) => ({ status }) as EmailMessage;

describe('cancelOutcome', () => {
  it('says in plain words why an email was not cancelled', () => {
    expect(cancelOutcome(true, email('cancelled'), 'ana@example.com')).toBe(
      'The email to ana@example.com was cancelled.',
    );
    expect(cancelOutcome(false, email('sending'), 'ana@example.com')).toBe(
      "The email to ana@example.com is already being sent, so it can't be cancelled.",
    );
    expect(cancelOutcome(false, email('sent'), 'ana@example.com')).toBe(
      "The email to ana@example.com was already sent, so it can't be cancelled.",
    );
    expect(cancelOutcome(false, null, 'ana@example.com')).toMatch(/no longer exists/);
  });

  it('names no address in blind mode', () => {
    expect(cancelOutcome(false, email('sending'), null)).toBe(
      "The email is already being sent, so it can't be cancelled.",
    );
  });
});

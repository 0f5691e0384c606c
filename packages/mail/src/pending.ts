/**
 * The "about to be queued" log shared by the gateway and the email-worker: a Redis sorted set of
 * messages whose rows may exist without a delivery job yet (scored by when that started). The
 * gateway adds them before storing the rows and removes them once the jobs are queued; a request
 * that died in between leaves them behind, and the worker's sweeper queues them.
 */
export function pendingEmailsKey(prefix: string): string {
  return `${prefix}:mail:pending`;
}

/** Sorted-set member for one message. */
export function pendingMember(userId: string, emailId: string): string {
  return JSON.stringify([userId, emailId]);
}

/** The message a member names, or null for anything malformed. */
export function parsePendingMember(member: string): { userId: string; emailId: string } | null {
  try {
    const [userId, emailId] = JSON.parse(member) as unknown[];
    return typeof userId === 'string' && typeof emailId === 'string' ? { userId, emailId } : null;
  } catch {
    return null;
  }
}

/**
 * The Message-ID of a stored email: derived from its id, so every attempt (and a reconciliation
 * after a crash) uses the same one, and a receiving system can tell a copy from a new message.
 */
export function messageIdFor(emailId: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'shortlist.local';
  return `<${emailId}@${domain}>`;
}

/** Splits `Name <address>` (or a bare address) into its parts. */
export function parseMailbox(value: string): { name: string | null; address: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(value);
  if (match) return { name: match[1]?.trim() || null, address: match[2]!.trim() };
  return { name: null, address: value.trim() };
}

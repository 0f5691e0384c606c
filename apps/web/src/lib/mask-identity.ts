import type { Resume } from '../api/types';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What blind mode shows instead of a name, address, phone number or link. */
export const HIDDEN = '[hidden]';

/**
 * The resume text with the candidate's known identity (name and each part of it, email, phone,
 * links) replaced, for blind mode before the recruiter chooses to reveal it. Only what extraction
 * found is hidden; the scorer's own redaction is stricter.
 */
export function maskIdentity(text: string, candidate: Resume['candidate']): string {
  const names = (candidate.name ?? '')
    .split(/\s+/)
    .map((part) => part.replace(/[^\p{L}'-]/gu, ''))
    .filter((part) => part.length > 1);
  const exact = [candidate.email, candidate.phone, ...candidate.links].filter(
    (value): value is string => Boolean(value && value.trim().length > 2),
  );
  // Whole values first, longest first, so an address is replaced before a name inside it.
  const alternatives = [
    ...exact.sort((a, b) => b.length - a.length).map((value) => escape(value.trim())),
    ...names.map((part) => `(?<![\\p{L}])${escape(part)}(?![\\p{L}])`),
  ];
  if (alternatives.length === 0) return text;
  return text.replace(new RegExp(alternatives.join('|'), 'giu'), HIDDEN);
}

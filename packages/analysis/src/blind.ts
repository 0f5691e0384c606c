import type { Candidate } from '@shortlist/contracts';
import type { ResumeProfile } from '@shortlist/extract';

/**
 * Who the resume is about: the stored resume's `candidate` (`candidateOf` in @shortlist/extract
 * builds it from an extraction), optionally with the location extraction read. Every field is
 * optional; what is known is redacted literally in blind mode.
 */
export type CandidateProfile = Partial<Candidate> & Partial<Pick<ResumeProfile, 'location'>>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for the ways a resume refers to `name`: the full name (also "Last, First"), and any
 * part after an honorific ("Ms. Gonzalez"). A part alone is left: a surname such as Baker or
 * Nurse is also a job word, and removing it would change what the candidate did.
 */
export function namePattern(name: string): RegExp | null {
  const parts = name
    .split(/\s+/)
    .map((p) => p.replace(/[^\p{L}'.-]/gu, ''))
    .filter((p) => p.length > 1);
  if (parts.length === 0) return null;
  const full = parts.map(escape).join('[\\s.]+');
  const reversed = parts.length > 1 ? `${escape(parts.at(-1)!)},?\\s+${escape(parts[0]!)}` : full;
  const honorific = `(?:mr|mrs|ms|miss|mx|dr)\\.?\\s+(?:${parts.map(escape).join('|')})`;
  return new RegExp(`(?<![\\p{L}])(?:${full}|${reversed}|${honorific})(?![\\p{L}])`, 'giu');
}

const PRONOUNS: [RegExp, string][] = [
  [/\b(he|she)\b/gi, 'they'],
  [/\b(him)\b/gi, 'them'],
  [/\b(his|her)\b/gi, 'their'],
  [/\b(hers)\b/gi, 'theirs'],
  [/\b(himself|herself)\b/gi, 'themselves'],
  [/\b(Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS)\.?(?=\s+[A-Z[])/g, ''],
];

const PATTERNS: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]'],
  [/\b(https?:\/\/|www\.)\S+/gi, '[link]'],
  [/\b(linkedin|github|facebook|twitter|instagram)\.com\/\S*/gi, '[link]'],
  // Phone numbers: 3-3-4 digit groups ((555) 123-4567, 555.123.4567) or international +CC groups.
  // Year ranges such as 2010-2015 must survive: years of experience are read from them.
  [/(?<![\w-])(\+?1[\s.-]?)?(\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g, '[phone]'],
  [/\+\d{1,3}([\s.-]?\(?\d{1,4}\)?){2,5}(?![\w-])/g, '[phone]'],
  // Dates of birth and ages.
  [
    /\b(date\s+of\s+birth|d\.?o\.?b\.?|born(\s+on)?|birth\s*date)\b\s*[:-]?\s*[^\n]{0,40}/gi,
    '[birth date]',
  ],
  [/\bage\s*[:-]\s*\d{1,2}\b/gi, '[age]'],
  [/\b\d{1,2}\s+years?\s+old\b/gi, '[age]'],
  // Personal status lines.
  [
    /\b(gender|sex|marital\s+status|nationality|religion|race|ethnicity)\s*[:-][^\n]*/gi,
    '[personal detail]',
  ],
  [/\b(male|female|married|single|divorced|widowed)\b(?=\s*(\n|,|$))/gi, '[personal detail]'],
  // Photos.
  [/\b\S+\.(jpe?g|png|gif|heic|webp)\b/gi, '[photo]'],
  [/\b(photo|photograph|headshot|picture)\s*(attached|enclosed|:)?/gi, '[photo]'],
  // Street addresses and US-style city/state/zip.
  [
    /\b\d{1,6}\s+([A-Z][a-z]+\s+){1,4}(Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy)\b\.?(\s*(Apt|Suite|Unit|#)\s*\w+)?/g,
    '[address]',
  ],
  [/\b[A-Z][a-zA-Z]+(\s[A-Z][a-zA-Z]+)?,\s*[A-Z]{2}\s+\d{5}(-\d{4})?\b/g, '[address]'],
  // School names: "University of X", "X University/College/Institute/Academy/High School".
  [/\b(University|College|Institute)\s+of\s+([A-Z][\w&'.-]*\s?){1,5}/g, '[school] '],
  [
    /\b([A-Z][\w&'.-]*\s){1,5}(University|College|Institute of Technology|Institute|Academy|High School|School of [A-Z]\w+|Polytechnic)\b/g,
    '[school]',
  ],
];

/**
 * Blind mode: removes what identifies a person or invites bias before anyone (or any model)
 * scores the resume: name, email, phone, links, address, photo references, gendered pronouns and
 * titles, age and date of birth, personal status lines, and school names. Skills, roles and
 * years stay, so the score is the same kind of judgement without the identity.
 */
export function redactForBlind(text: string, profile: CandidateProfile = {}): string {
  let out = text;
  const literal = [profile.email, profile.phone, profile.location, ...(profile.links ?? [])].filter(
    (s): s is string => Boolean(s && s.trim().length > 2),
  );
  for (const value of literal.sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escape(value.trim()), 'gi'), '[redacted]');
  }
  const byName = profile.name ? namePattern(profile.name) : null;
  if (byName) out = out.replace(byName, '[name]');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  for (const [pattern, replacement] of PRONOUNS) out = out.replace(pattern, replacement);
  return out;
}

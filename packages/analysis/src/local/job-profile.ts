import type { Criterion } from '@shortlist/contracts';
import { isStopword, tokenize } from '../text';

/** A job description read into its parts. */
export interface JobSections {
  title: string | null;
  responsibilities: string[];
  required: string[];
  preferred: string[];
}

const HEADING = /^\s*(#{1,6}\s*)?([A-Za-z][A-Za-z '&/-]{2,60}?)\s*:?\s*$/;
const BULLET = /^\s*([-*•·▪●]|\d{1,2}[.)])\s+/;

function kindOf(heading: string): keyof Omit<JobSections, 'title'> | null {
  const h = heading.toLowerCase();
  if (/nice|preferred|bonus|plus|desirable|ideally/.test(h)) return 'preferred';
  if (
    /require|qualif|skills|must|what you (bring|need|have)|about you|you have|experience|education/.test(
      h,
    )
  )
    return 'required';
  if (
    /respons|duties|what you('ll| will) do|the role|role|day to day|you will|tasks|job description/.test(
      h,
    )
  )
    return 'responsibilities';
  return null;
}

/** Splits a posting into title, responsibilities, required and preferred bullets. */
export function readJob(description: string, title?: string): JobSections {
  const sections: JobSections = {
    title: title?.trim() || null,
    responsibilities: [],
    required: [],
    preferred: [],
  };
  let current: keyof Omit<JobSections, 'title'> | null = null;
  for (const raw of description.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const titleMatch = line.match(/^#\s+(.+)$/);
    if (titleMatch && !sections.title) {
      sections.title = titleMatch[1]!.trim();
      continue;
    }
    if (BULLET.test(line)) {
      const text = line.replace(BULLET, '').trim();
      if (!current) continue;
      const target =
        current === 'required' &&
        /\b(preferred|a plus|is a plus|nice to have|desirable)\b/i.test(text)
          ? 'preferred'
          : current;
      sections[target].push(text);
      continue;
    }
    const heading = line.match(HEADING);
    if (heading && (line.startsWith('#') || line.endsWith(':') || line.split(/\s+/).length <= 4)) {
      current = kindOf(heading[2]!) ?? current;
    }
  }
  return sections;
}

/** Name of the derived criterion that compares recent job titles with the job's title. */
export const ROLE_PREFIX = 'Experience as ';
/** Name of the derived criterion that measures fit with the responsibilities. */
export const RELEVANCE_NAME = 'Relevant experience for the responsibilities of this job';

const trimName = (s: string) =>
  (s.length > 200 ? `${s.slice(0, 197)}...` : s).replace(/[.;]\s*$/, '');

/** The old fallback: most frequent content words, for descriptions without any structure. */
function frequentWords(description: string, max: number): Criterion[] {
  const counts = new Map<string, number>();
  for (const token of tokenize(description)) {
    if (token.length < 2 || isStopword(token)) continue;
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([name, count]) => ({ name, weight: Math.min(3, count), required: false }));
}

/**
 * Criteria derived from a posting when the recruiter gave none, stored so the recruiter can
 * edit them: the role itself (the job title, weight 5: a candidate's current and past titles
 * are the strongest single sign of fit), fit with the responsibilities (weight 2), then one
 * criterion per required bullet (0.5 each) and per preferred bullet (0.25). A description without
 * sections falls back to its most frequent content words.
 */
export function deriveCriteria(description: string, title?: string, max = 12): Criterion[] {
  const job = readJob(description, title);
  const criteria: Criterion[] = [];
  if (job.title)
    criteria.push({ name: trimName(`${ROLE_PREFIX}${job.title}`), weight: 5, required: false });
  if (job.responsibilities.length > 0)
    criteria.push({ name: RELEVANCE_NAME, weight: 2, required: false });
  for (const bullet of job.required)
    criteria.push({ name: trimName(bullet), weight: 0.5, required: false });
  for (const bullet of job.preferred)
    criteria.push({ name: trimName(bullet), weight: 0.25, required: false });
  if (job.required.length === 0 && job.preferred.length === 0) {
    criteria.push(...frequentWords(description, Math.max(3, max - criteria.length)));
  }
  return criteria.slice(0, max);
}

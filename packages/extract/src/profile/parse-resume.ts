import type { ResumeProfile } from '../types';
import { findEmail, findLinks, findLocation, findPhone } from './contacts';
import { dateRanges, mergedYears } from './dates';
import { educationLevel } from './education';
import { findName } from './name';
import { splitSections } from './sections';
import { skillItems } from './skills';

/** A profile with nothing found, for files that could not be read. */
export function emptyProfile(): ResumeProfile {
  return {
    name: null,
    email: null,
    phone: null,
    links: { linkedin: null, github: null, portfolio: null },
    location: null,
    sections: {},
    yearsExperience: null,
    educationLevel: null,
    skills: [],
  };
}

/** Options of {@link parseResumeText}. */
export interface ParseOptions {
  /** "Today", for ranges ending in "present" (default: now). */
  now?: Date;
}

/**
 * Reads the structure of resume text: sections, contact fields, total years of experience
 * (date ranges in the experience section, overlaps merged, "present" = `now`), the highest
 * education level and the skills list. Pure and synchronous; needs no worker thread.
 */
export function parseResumeText(text: string, options: ParseOptions = {}): ResumeProfile {
  const now = options.now ?? new Date();
  const lines = text.split('\n').map((l) => l.trim());
  const { header, sections } = splitSections(text);
  const education = sections.education ?? '';
  // Without an experience heading, every range outside the education section is a job.
  const experienceText = sections.experience ?? (education ? text.replace(education, '') : text);
  const stated = /(\d{1,2})\+?\s+years?\s+(?:of\s+)?(?:[\w-]+\s+){0,3}experience/i.exec(text);
  return {
    name: findName(lines),
    email: findEmail(text),
    phone: findPhone(text),
    links: findLinks(text),
    location: findLocation(header.length > 0 ? header : lines),
    sections,
    yearsExperience:
      mergedYears(dateRanges(experienceText, now)) ?? (stated ? Number(stated[1]) : null),
    educationLevel: educationLevel(education || text),
    skills: sections.skills ? skillItems(sections.skills) : [],
  };
}

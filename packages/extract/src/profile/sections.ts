import type { SectionName } from '../types';

const HEADINGS: Record<SectionName | 'other', string[]> = {
  summary: [
    'summary',
    'professional summary',
    'profile',
    'professional profile',
    'personal profile',
    'objective',
    'career objective',
    'professional objective',
    'about me',
    'about',
    'executive summary',
    'career summary',
    'overview',
    'professional overview',
    'summary of qualifications',
    'qualifications summary',
    'executive profile',
    'career profile',
    'career overview',
    'personal statement',
  ],
  experience: [
    'experience',
    'work experience',
    'professional experience',
    'employment history',
    'employment',
    'work history',
    'career history',
    'relevant experience',
    'professional background',
    'employment experience',
    'experience history',
    'work',
    'career experience',
    'professional history',
    'relevant work experience',
    'teaching experience',
    'research experience',
    'industry experience',
    'military experience',
    'volunteer experience',
    'internship experience',
    'internships',
  ],
  education: [
    'education',
    'education and training',
    'education & training',
    'academic background',
    'academic qualifications',
    'educational background',
    'educational qualifications',
    'education and certifications',
    'education & certifications',
    'academics',
    'academic history',
    'training and education',
    'education history',
    'qualifications',
  ],
  skills: [
    'skills',
    'technical skills',
    'key skills',
    'core skills',
    'core competencies',
    'competencies',
    'skill highlights',
    'highlights',
    'areas of expertise',
    'expertise',
    'core qualifications',
    'skills summary',
    'summary of skills',
    'technical proficiencies',
    'skills and abilities',
    'skills & abilities',
    'abilities',
    'strengths',
    'key strengths',
    'professional skills',
    'computer skills',
    'it skills',
    'tools',
    'technologies',
    'tools and technologies',
    'technical expertise',
    'skill set',
    'skillset',
    'relevant skills',
    'additional skills',
    'skills and expertise',
    'key competencies',
    'professional competencies',
    'areas of strength',
    'specialties',
    'languages and tools',
  ],
  certifications: [
    'certifications',
    'certification',
    'certificates',
    'licenses',
    'licences',
    'licenses and certifications',
    'licenses & certifications',
    'certifications and licenses',
    'certifications & licenses',
    'credentials',
    'professional certifications',
    'accreditations',
    'certifications and training',
    'licensure',
  ],
  projects: [
    'projects',
    'personal projects',
    'key projects',
    'selected projects',
    'academic projects',
    'project experience',
    'portfolio',
    'side projects',
    'notable projects',
    'project highlights',
  ],
  other: [
    'accomplishments',
    'achievements',
    'awards',
    'honors',
    'honours',
    'awards and honors',
    'publications',
    'interests',
    'hobbies',
    'references',
    'languages',
    'volunteer',
    'volunteering',
    'activities',
    'affiliations',
    'professional affiliations',
    'additional information',
    'personal details',
    'personal information',
    'contact',
    'contact information',
    'training',
    'courses',
    'coursework',
    'relevant coursework',
    'presentations',
    'memberships',
    'leadership',
    'extracurricular activities',
    'community service',
    'military service',
    'patents',
    'conferences',
    'research',
  ],
};

const SUFFIXES: Record<string, SectionName> = {
  experience: 'experience',
  history: 'experience',
  skills: 'skills',
  highlights: 'skills',
  competencies: 'skills',
  certifications: 'certifications',
  projects: 'projects',
};

const LOOKUP = new Map<string, SectionName | 'other'>();
for (const [section, phrases] of Object.entries(HEADINGS))
  for (const phrase of phrases) LOOKUP.set(phrase, section as SectionName | 'other');

/** "E X P E R I E N C E" -> "EXPERIENCE"; "Work Experience:" -> "work experience". */
function headingKey(line: string): string {
  let s = line.trim();
  if (/^(?:\p{L} ){3,}\p{L}$/u.test(s)) s = s.replace(/ /g, '');
  return s
    .toLowerCase()
    .replace(/[:\-–—•·|*#_=]+$/u, '')
    .replace(/^[-–—•·|*#_=\s]+/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The section a line opens, if it is a heading: a short line that is a known heading phrase,
 * optionally followed by ":" and the section's first content ("Skills: Python, SQL").
 */
export function matchHeading(
  line: string,
): { section: SectionName | 'other'; rest: string } | null {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.length > 60) return null;
  const key = headingKey(trimmed);
  const whole = LOOKUP.get(key);
  if (whole) return { section: whole, rest: '' };
  // "Visual Merchandise Experience", "Professional Highlights": a short title-like line whose
  // last word names the section.
  const words = trimmed.split(/\s+/);
  if (words.length <= 4 && words.every((w) => /^[\p{Lu}&]/u.test(w))) {
    const last = key.split(' ').at(-1)!;
    const bySuffix = SUFFIXES[last];
    if (bySuffix) return { section: bySuffix, rest: '' };
  }
  const inline = /^([^:]{3,40}):\s*(.+)$/.exec(trimmed);
  if (inline) {
    const section = LOOKUP.get(headingKey(inline[1]!));
    if (section) return { section, rest: inline[2]!.trim() };
  }
  return null;
}

/** Splits resume text into canonical sections; the first heading's text is the header block. */
export function splitSections(text: string): {
  header: string[];
  sections: Partial<Record<SectionName, string>>;
} {
  const header: string[] = [];
  const bodies = new Map<SectionName, string[]>();
  let current: SectionName | 'other' | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const heading = matchHeading(line);
    if (heading) {
      current = heading.section;
      if (current !== 'other' && !bodies.has(current)) bodies.set(current, []);
      if (heading.rest && current !== 'other') bodies.get(current)!.push(heading.rest);
      continue;
    }
    if (current === null) header.push(line);
    else if (current !== 'other') bodies.get(current)!.push(line);
  }
  const sections: Partial<Record<SectionName, string>> = {};
  for (const [name, lines] of bodies) {
    const body = lines.join('\n').trim();
    if (body) sections[name] = body;
  }
  return { header: header.filter(Boolean), sections };
}

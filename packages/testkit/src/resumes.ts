/** Deterministic pseudo-random numbers (mulberry32), so generated fixtures are identical each run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Ben',
  'Chen',
  'Dana',
  'Emeka',
  'Farah',
  'Goran',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
];
const LAST = [
  'Silva',
  'Okafor',
  'Nguyen',
  'Kowalski',
  'Haddad',
  'Tanaka',
  'Muller',
  'Garcia',
  'Singh',
  'Larsen',
];

export interface GeneratedResume {
  fileName: string;
  text: string;
  name: string;
  email: string;
  /** How many of the requested skills the resume contains. */
  matched: number;
}

/**
 * Plain-text resumes where resume `i` mentions the first `i % (skills.length + 1)` skills: the
 * truth of how well each one matches is known by construction.
 */
export function generateTextResumes(count: number, skills: string[], seed = 42): GeneratedResume[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(random() * LAST.length)]}`;
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}.${i}@example.com`;
    const matched = i % (skills.length + 1);
    const has = skills.slice(0, matched);
    const text = [
      name,
      email,
      '',
      'SUMMARY',
      `Engineer with ${2 + (i % 9)} years of experience building software for customers.`,
      '',
      'EXPERIENCE',
      `Acme Corp, Software Engineer, 2018 - present`,
      ...has.map((skill) => `- Delivered production features using ${skill}.`),
      '- Collaborated with product and design on weekly releases.',
      '',
      'SKILLS',
      has.length > 0 ? has.join(', ') : 'Communication, teamwork',
    ].join('\n');
    return { fileName: `resume-${String(i).padStart(3, '0')}.txt`, text, name, email, matched };
  });
}

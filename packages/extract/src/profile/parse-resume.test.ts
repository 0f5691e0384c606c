import { candidateOf } from './candidate';
import { parseResumeText } from './parse-resume';
import { dateRanges, mergedYears } from './dates';
import { findLinks, findPhone } from './contacts';
import { looksLikeName } from './name';

const now = new Date('2025-06-15T00:00:00Z');

describe('parseResumeText', () => {
  it('finds sections under common heading spellings, including inline ones', () => {
    const profile = parseResumeText(
      [
        'Jane Doe',
        'PROFESSIONAL SUMMARY',
        'Analyst.',
        'Work History:',
        'Acme, Analyst, Jan 2020 - Present',
        'E D U C A T I O N',
        'B.Sc. in Mathematics, 2015',
        'Technical Skills: Python, SQL; Excel | Tableau',
        'Hobbies',
        'Chess',
      ].join('\n'),
      { now },
    );
    expect(profile.sections).toEqual({
      summary: 'Analyst.',
      experience: 'Acme, Analyst, Jan 2020 - Present',
      education: 'B.Sc. in Mathematics, 2015',
      skills: 'Python, SQL; Excel | Tableau',
    });
    expect(profile.skills).toEqual(['Python', 'SQL', 'Excel', 'Tableau']);
    expect(profile.educationLevel).toBe('bachelor');
    expect(profile.yearsExperience).toBe(5.4);
  });

  it('merges overlapping jobs and counts "present" up to today', () => {
    const ranges = dateRanges(
      'Jan 2018 – Dec 2019\n06/2019 to Current\nMarch 2010 - March 2011\n2005 – 2007',
      now,
    );
    expect(ranges).toHaveLength(4);
    // 2018-01..2025-05 merged (89 months) + 12 + 24 months.
    expect(mergedYears(ranges)).toBe(10.4);
  });

  it('does not count education dates as experience', () => {
    const profile = parseResumeText(
      'Experience\nAcme 2020 - 2022\nEducation\nState University 2010 - 2014, Master of Science',
      { now },
    );
    expect(profile.yearsExperience).toBe(2);
    expect(profile.educationLevel).toBe('master');
  });

  it('reads phone numbers in several national formats, not year ranges', () => {
    expect(findPhone('2016-2019 Acme\nPhone: +44 20 7946 0958')).toBe('+44 20 7946 0958');
    expect(findPhone('Jane\n(415) 555-0199')).toBe('(415) 555-0199');
    expect(findPhone('Jane\n512.555.0100 | jane@x.com')).toBe('512.555.0100');
    expect(findPhone('Acme 2016 - 2019\nBeta 2019-2021')).toBeNull();
  });

  it('normalises links and does not take skills or email domains for a website', () => {
    expect(
      findLinks(
        'Jane\njane@janedoe.com | LinkedIn: www.linkedin.com/in/jane-doe/ | github.com/janed\nSkills: ASP.NET, Node.js, Salesforce.com',
      ),
    ).toEqual({
      linkedin: 'https://www.linkedin.com/in/jane-doe',
      github: 'https://github.com/janed',
      portfolio: null,
    });
    expect(findLinks('Jane\nhttps://jane.design/work/').portfolio).toBe('https://jane.design/work');
  });

  it('tells names from titles and headings', () => {
    expect(looksLikeName('José Müller')).toBe(true);
    expect(looksLikeName('Mary-Jane O’Neil')).toBe(true);
    expect(looksLikeName('佐藤 花子')).toBe(true);
    expect(looksLikeName('SENIOR SOFTWARE ENGINEER')).toBe(false);
    expect(looksLikeName('Accountant')).toBe(false);
    expect(looksLikeName('City , State')).toBe(false);
  });

  it('takes no name from inside the sections of an anonymised resume', () => {
    // As in the livecareer resumes: a title, then sections with placeholders and skill pairs.
    const text = [
      'INFORMATION TECHNOLOGY TECHNICIAN I',
      'Summary',
      'Versatile Systems Administrator.',
      'Skills',
      'Active Directory',
      'Work History',
      'Company Name',
    ].join('\n');
    expect(parseResumeText(text).name).toBeNull();
    expect(parseResumeText(`Dana Whitfield\n${text}`).name).toBe('Dana Whitfield');
  });

  it('returns nulls and empty lists when nothing is there', () => {
    expect(parseResumeText('just some words', { now })).toEqual({
      name: null,
      email: null,
      phone: null,
      links: { linkedin: null, github: null, portfolio: null },
      location: null,
      sections: {},
      yearsExperience: null,
      educationLevel: null,
      skills: [],
    });
  });
});

describe('candidateOf', () => {
  it('keeps the identity fields a stored resume carries, links found in one list', () => {
    const profile = parseResumeText(
      [
        'Jane Doe',
        'jane.doe@example.com | +1 (555) 010-2030 | linkedin.com/in/janedoe | github.com/janedoe',
        'Experience',
        'Acme, Analyst, Jan 2020 - Present',
      ].join('\n'),
      { now },
    );
    expect(candidateOf(profile)).toEqual({
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      phone: '+1 (555) 010-2030',
      links: [profile.links.linkedin, profile.links.github],
    });
    expect(profile.links.linkedin).toContain('linkedin.com/in/janedoe');
  });
});

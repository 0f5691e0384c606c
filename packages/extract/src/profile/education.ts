import type { EducationLevel } from '../types';

const LEVELS: [Exclude<EducationLevel, null>, RegExp][] = [
  [
    'doctorate',
    /\b(?:ph\.?\s?d\.?|doctor(?:ate)?\s+(?:of|in)\b|doctoral|d\.\s?phil|ed\.?\s?d\.|m\.d\.|pharm\.?\s?d\.?|j\.d\.|juris doctor)/i,
  ],
  [
    'master',
    /\b(?:master'?s?\b|masters\b|m\.\s?sc?\.?(?=\s|,|$)|msc\b|m\.s\.|ms\s+(?:in|of)\b|mba\b|m\.b\.a\.?|m\.a\.(?=\s|,|$)|ma\s+in\b|m\.?\s?eng\b|mph\b|llm\b|ll\.m\.?|m\.?\s?ed\.?(?=\s|,|$)|m\.?\s?tech\b|mca\b|post\s?graduate)/i,
  ],
  [
    'bachelor',
    /\b(?:bachelor'?s?\b|bachelors\b|b\.\s?sc?\.?(?=\s|,|$)|bsc\b|b\.s\.|bs\s+(?:in|of)\b|b\.a\.(?=\s|,|$)|ba\s+(?:in|of)\b|b\.?\s?eng\b|b\.?\s?tech\b|bba\b|b\.b\.a\.?|llb\b|ll\.b\.?|b\.?\s?com\b|bca\b|b\.?e\.(?=\s|,|$)|undergraduate degree)/i,
  ],
  [
    'associate',
    /\b(?:associate'?s?\s+(?:degree|of|in)\b|a\.a\.s?\.?(?=\s|,|$)|a\.s\.(?=\s|,|$)|aas\b)/i,
  ],
  ['certificate', /\b(?:certificate|diploma)\s+(?:program|in|of)\b|\bpost-secondary\b/i],
  ['secondary', /\b(?:high school|secondary school|ged\b|hsc\b|ssc\b|a-levels?|gcse)/i],
];

/** Highest education level named in `text` (the education section when there is one). */
export function educationLevel(text: string): EducationLevel {
  for (const [level, pattern] of LEVELS) if (pattern.test(text)) return level;
  return null;
}

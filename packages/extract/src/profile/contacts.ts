import type { ResumeProfile } from '../types';

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const PHONE =
  /(?<![\w+/.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,5}){1,4}(?![\w/.-]?\d)/g;

/** First email address in the text. */
export function findEmail(text: string): string | null {
  return EMAIL.exec(text)?.[0] ?? null;
}

function phoneCandidates(line: string): string[] {
  return [...line.matchAll(PHONE)]
    .map((m) => m[0].trim())
    .filter((candidate) => {
      const digits = candidate.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return false;
      // Year ranges and dates are not phone numbers.
      if (/^(?:19|20)\d{2}\s*[-–.]\s*(?:19|20)\d{2}$/.test(candidate)) return false;
      if (/^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(candidate)) return false;
      return true;
    });
}

/** First phone number, preferring lines labelled phone/tel/mobile, then the top of the resume. */
export function findPhone(text: string): string | null {
  const lines = text.split('\n');
  const labelled = lines.find(
    (l) => /\b(?:phone|tel|mobile|cell|ph)\b/i.test(l) && phoneCandidates(l).length,
  );
  if (labelled) return phoneCandidates(labelled)[0]!;
  for (const line of lines.slice(0, 25)) {
    const found = phoneCandidates(line);
    if (found.length) return found[0]!;
  }
  return null;
}

const TLDS =
  'dev|io|me|com|net|org|site|app|design|co|page|xyz|tech|info|ai|online|portfolio|studio|work';
const URL_LIKE = new RegExp(
  String.raw`(?<![@\w.-])(?:https?:\/\/)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:${TLDS}|[a-z]{2})(?:\/[^\s|,;()<>"]*)?(?![\w@-])`,
  'gi',
);

const clean = (url: string) => url.replace(/[.)\]]+$/, '').replace(/\/+$/, '');

/** LinkedIn, GitHub and portfolio links, normalised to https URLs without a trailing slash. */
export function findLinks(text: string): ResumeProfile['links'] {
  const linkedin =
    /(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(in|pub)\/([A-Za-z0-9_%\-.]+)/i.exec(text);
  const github = /(?:https?:\/\/)?(?:www\.)?github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/i.exec(
    text,
  );
  const emailDomains = new Set(
    [...text.matchAll(new RegExp(EMAIL.source, 'g'))].map((m) => m[0].split('@')[1]!.toLowerCase()),
  );
  const head = text.split('\n').slice(0, 15).join('\n');
  let portfolio: string | null = null;
  for (const source of [text, head]) {
    for (const m of source.matchAll(URL_LIKE)) {
      const raw = clean(m[0]);
      const explicit = /^(?:https?:\/\/|www\.)/i.test(raw);
      // Bare domains ("jane.dev") count only in the contact block, and only as written in
      // lower case, so "ASP.NET" or "Salesforce.com" in a skills list are not taken for sites.
      if (!explicit && (source !== head || raw !== raw.toLowerCase())) continue;
      const host = raw
        .replace(/^https?:\/\//i, '')
        .replace(/^www\./i, '')
        .split('/')[0]!
        .toLowerCase();
      if (/linkedin\.com$|github\.com$/.test(host) || emailDomains.has(host)) continue;
      if (/\.(?:js|ts|py|net)$/.test(host) && !explicit) continue;
      portfolio = `https://${raw.replace(/^https?:\/\//i, '')}`;
      break;
    }
    if (portfolio) break;
  }
  return {
    linkedin: linkedin
      ? `https://www.linkedin.com/${linkedin[1]!.toLowerCase()}/${clean(linkedin[2]!)}`
      : null,
    github: github ? `https://github.com/${github[1]}` : null,
    portfolio,
  };
}

const STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|ON|QC|BC|AB|MB|NS|NB|SK|NL|PE';
const COUNTRIES =
  'USA|United States|UK|United Kingdom|England|Scotland|Ireland|Canada|Germany|France|Spain|Portugal|Italy|Netherlands|Belgium|Switzerland|Austria|Sweden|Norway|Denmark|Finland|Poland|Czechia|Czech Republic|Greece|Turkey|Israel|India|Pakistan|Bangladesh|China|Japan|Korea|South Korea|Singapore|Malaysia|Indonesia|Philippines|Vietnam|Thailand|Australia|New Zealand|Brazil|Argentina|Chile|Colombia|Mexico|Peru|Nigeria|Kenya|Ghana|South Africa|Egypt|Morocco|UAE|United Arab Emirates|Saudi Arabia|Qatar|Romania|Hungary|Ukraine|Russia';
const LOCATION = new RegExp(
  String.raw`(?<![\p{L}])(\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){0,3}), (?:(?:${STATES})(?: \d{5}(?:-\d{4})?)?|${COUNTRIES})(?![\p{L}])`,
  'u',
);

/** "City, ST" or "City, Country" from the contact block at the top of the resume. */
export function findLocation(headerLines: string[]): string | null {
  for (const line of headerLines.slice(0, 12)) {
    for (const part of line.split(/\s*[|•·;]\s*|\s{2,}/)) {
      const m = LOCATION.exec(part);
      if (m && !/@/.test(part)) return m[0];
    }
  }
  return null;
}

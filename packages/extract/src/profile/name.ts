import { matchHeading } from './sections';

const TITLE_WORDS = new Set(
  (
    'engineer developer manager analyst accountant nurse designer consultant specialist director ' +
    'assistant teacher officer administrator coordinator executive representative technician ' +
    'architect scientist intern associate supervisor lead senior junior chef advocate attorney ' +
    'lawyer agent clerk instructor professor trainer driver operator mechanic pilot banker ' +
    'recruiter planner strategist writer editor artist photographer therapist pharmacist ' +
    'physician doctor dentist auditor controller cashier receptionist secretary programmer ' +
    'marketing sales finance financial software data product project business customer service ' +
    'resume curriculum vitae cv profile contact summary objective page references'
  ).split(' '),
);

const LATIN_NAME_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|de|da|del|der|van|von|di|la|le|du|dos|bin|al)$/u;
const CJK =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{1,5}(?: [\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{1,5})?$/u;

/** True when `line` reads like a person's name (2-5 capitalised words, or a CJK name). */
export function looksLikeName(line: string): boolean {
  const s = line.trim();
  if (s.length < 2 || s.length > 50) return false;
  if (CJK.test(s)) return s.replace(/ /g, '').length >= 2;
  if (/[@\d/\\:|,;()]|https?|www\./i.test(s)) return false;
  const words = s.split(/\s+/);
  if (words.length < 2 || words.length > 5) return false;
  if (words.some((w) => TITLE_WORDS.has(w.toLowerCase().replace(/[.,]/g, '')))) return false;
  if (!words.every((w) => LATIN_NAME_WORD.test(w))) return false;
  return words.filter((w) => /^\p{Lu}/u.test(w)).length >= 2;
}

/**
 * The candidate's name: an explicit "Name:" line, else the first line above the first section
 * heading that reads like a name (not a title, address or contact detail).
 */
export function findName(lines: string[]): string | null {
  for (const line of lines.slice(0, 30)) {
    const labelled = /^\s*(?:full\s+)?name\s*[:-]\s*(.+)$/i.exec(line);
    if (labelled && looksLikeName(labelled[1]!)) return labelled[1]!.trim();
  }
  for (const raw of lines.slice(0, 12)) {
    const line = raw.trim();
    if (!line) continue;
    const heading = matchHeading(line);
    // Names head the resume: once its sections begin ("Summary", "Skills"), a capitalised pair
    // of words is a skill or a placeholder ("Active Directory", "Company Name"), not a person.
    if (heading && heading.section !== 'other') break;
    if (heading) continue;
    // A name often shares its line with contact details: "Jane Doe | jane@x.com".
    const first = line.split(/\s*[|•·]\s*|\s{3,}|\t/)[0]!;
    if (looksLikeName(first)) return first.replace(/\s+/g, ' ');
  }
  return null;
}

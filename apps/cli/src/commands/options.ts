import { InvalidArgumentError, Option } from 'commander';

/**
 * Option helpers shared by command definitions. Kept free of heavy imports: command definitions
 * load on every start (for --help and usage errors), their actions load only when they run.
 */

/** Options every command inherits from the program. */
export interface GlobalOptions {
  server?: string;
  apiKey?: string;
  color?: boolean;
}

export function positiveInt(name: string, allowZero = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
      throw new InvalidArgumentError(
        `${name} must be a whole number ${allowZero ? '>= 0' : '>= 1'}.`,
      );
    return n;
  };
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const outOption = () =>
  new Option(
    '-o, --out <file>',
    'also write the results to a file: .csv, .json or .html (repeatable)',
  ).argParser(collect);

export const formatOption = () =>
  new Option('--format <format>', 'format of --out when the extension does not tell').choices([
    'csv',
    'json',
    'html',
  ]);

export const criterionOption = () =>
  new Option(
    '-c, --criterion <spec>',
    'a criterion as name[:weight][!] (! = required); repeatable or comma-separated ' +
      '(default: derived from the job description)',
  ).argParser(collect);

export const jsonOption = (what = 'the full results') =>
  new Option('--json', `print ${what} as JSON on stdout`);

/** An http(s) URL flag; anything else is a usage error. */
export function httpUrl(name: string) {
  return (value: string): string => {
    try {
      if (/^https?:$/.test(new URL(value).protocol)) return value;
    } catch {
      /* falls through to the error */
    }
    throw new InvalidArgumentError(`${name} must be an http:// or https:// URL.`);
  };
}

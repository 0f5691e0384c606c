/**
 * Exit codes a script can rely on. Documented in the README ("Command line") and in
 * `shortlist --help`; never renumber one.
 */
export const ExitCode = {
  /** The command did what was asked (unreadable files in a ranking are reported, not failures). */
  ok: 0,
  /** Something went wrong that is not one of the cases below. */
  failure: 1,
  /** Bad arguments: unknown command or option, missing value, a path that does not exist. */
  usage: 2,
  /** Nothing could be ranked: no file in the folder was a readable resume. */
  nothingRanked: 3,
  /** The server refused the API key (401) or the key lacks the role (403). */
  unauthorized: 4,
  /** The server could not be reached, or answered 503 / timed out. */
  unavailable: 5,
  /** The server rejected the request: not found, invalid input, too large, rate limited. */
  rejected: 6,
  /** A configuration variable (environment) has a bad value. */
  config: 78,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0   success (unreadable files in a ranking are listed, not failures)
  1   failure
  2   usage error: bad arguments, unknown option, a path that does not exist
  3   nothing ranked: no file was a readable resume
  4   the server refused the API key (401/403)
  5   the server is unreachable or unavailable (503, timeout)
  6   the server rejected the request (not found, invalid input, too large, rate limited)
  78  bad configuration variable`;

/** An error whose message is shown to the user as is, ending the command with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    /** A suggestion printed under the message. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad arguments: prints usage and exits 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
    this.name = 'UsageError';
  }
}

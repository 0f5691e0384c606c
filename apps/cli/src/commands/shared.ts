import { UsageError } from '../exit-codes';
import { exportFormatFor, writeReport } from '../output/export';
import type { RankedReport } from '../output/ranked-row';
import { renderTable } from '../output/table';
import { colorsFor, say } from '../output/terminal';
import { ApiClient } from '../remote/api-client';
import type { GlobalOptions } from './options';

/** The API client when a server is configured (flag or SHORTLIST_SERVER), else null. */
export function remoteClient(options: GlobalOptions): ApiClient | null {
  if (!options.server) return null;
  if (!options.apiKey)
    throw new UsageError(
      `--server ${options.server} needs an API key: pass --api-key or set SHORTLIST_API_KEY.`,
    );
  return new ApiClient(options.server, options.apiKey);
}

/** Like {@link remoteClient} for commands that only make sense against a server. */
export function requireClient(options: GlobalOptions, what: string): ApiClient {
  const client = remoteClient(options);
  if (!client)
    throw new UsageError(`${what} talks to a server: pass --server URL or set SHORTLIST_SERVER.`);
  return client;
}

/** Checks `--out` targets before any work is done, so a typo does not cost a whole run. */
export function checkOuts(outs: string[] | undefined, format: string | undefined): void {
  for (const out of outs ?? []) exportFormatFor(out, format);
}

export interface PrintOptions extends GlobalOptions {
  out?: string[];
  format?: string;
  json?: boolean;
  top?: number;
}

/**
 * Shows a report: the ranked table (or JSON with --json) on stdout, files that could not be ranked
 * with their reasons, and writes every --out file.
 */
export async function printReport(report: RankedReport, options: PrintOptions): Promise<void> {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const colors = colorsFor(process.stdout, options);
    const scored = report.rows.filter((r) => r.score !== null);
    const limit = options.top === 0 ? undefined : (options.top ?? 25);
    if (scored.length > 0) {
      const table = renderTable(scored, { colors, width: process.stdout.columns, limit });
      process.stdout.write(`${table}\n`);
      if (limit !== undefined && scored.length > limit)
        process.stdout.write(
          colors.dim(
            `… ${scored.length - limit} more ranked (--top 0 shows all, --out saves all)\n`,
          ),
        );
    }
    const unscored = report.rows.filter((r) => r.score === null);
    if (unscored.length > 0) {
      process.stdout.write(`\n${colors.bold(`Not ranked (${unscored.length}):`)}\n`);
      for (const row of unscored)
        process.stdout.write(`  ${row.file}: ${colors.yellow(row.error ?? row.status)}\n`);
    }
  }
  for (const out of options.out ?? []) {
    await writeReport(report, out, exportFormatFor(out, options.format));
    say(`Wrote ${out}`);
  }
}

/** One line for the person at the terminal: how many ranked, tier counts. */
export function summaryLine(report: RankedReport, seconds?: number): string {
  const n = (tier: string) => report.rows.filter((r) => r.tier === tier).length;
  const ranked = report.rows.filter((r) => r.score !== null).length;
  const unscored = report.rows.length - ranked;
  const took = seconds === undefined ? '' : ` in ${seconds.toFixed(1)}s`;
  return (
    `Ranked ${ranked} of ${report.rows.length} files${took}: ` +
    `${n('shortlist')} shortlist, ${n('maybe')} maybe, ${n('reject')} reject` +
    (unscored ? `; ${unscored} not ranked` : '')
  );
}

import { CliError, ExitCode } from '../exit-codes';
import { colorsFor, say } from '../output/terminal';
import { explainMissingRoute } from '../remote/api-client';
import { fetchResumes } from '../remote/results';
import type { GlobalOptions } from './options';
import { requireClient } from './shared';

export interface EmailOptions {
  top: number;
  kind: 'invite' | 'reject' | 'custom';
  tier?: string;
  dryRun?: boolean;
  json?: boolean;
}

export async function email(jobId: string, options: EmailOptions & GlobalOptions): Promise<void> {
  const client = requireClient(options, 'email');
  const resumes = (
    await fetchResumes(client, jobId, { tier: options.tier, max: options.top + 200 })
  )
    .filter((r) => r.status === 'done' && r.score !== null)
    .slice(0, options.top);
  if (resumes.length === 0) {
    const where = options.tier ? ` in tier ${options.tier}` : '';
    throw new CliError(`Job ${jobId} has no scored candidates${where}.`, ExitCode.rejected);
  }
  const c = colorsFor(process.stderr, options);
  for (const [i, r] of resumes.entries()) {
    const who = `${r.candidate.name ?? r.fileName} ${c.dim(`<${r.candidate.email ?? 'no email'}>`)}`;
    say(`  ${i + 1}. ${who} score ${r.score}`);
  }
  if (options.dryRun) {
    say(`Dry run: ${resumes.length} ${options.kind} emails would be queued.`);
    return;
  }
  const answer = await client
    .post('/v1/emails', { jobId, resumeIds: resumes.map((r) => r.id), kind: options.kind })
    .catch((error: unknown) => explainMissingRoute(error, 'POST /v1/emails'));
  if (options.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else say(`Queued ${options.kind} emails for ${resumes.length} candidates.`);
}

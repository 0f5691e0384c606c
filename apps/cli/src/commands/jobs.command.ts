import { Command, Option } from 'commander';
import type { Job, Page } from '@shortlist/contracts';
import { loadJob, parseCriteria } from '../job-file';
import { colorsFor } from '../output/terminal';
import { collect, requireClient, type GlobalOptions } from './shared';

export function jobsCommand(): Command {
  const jobs = new Command('jobs')
    .summary('create, list and show jobs on a server')
    .description(
      'Jobs on a Shortlist server (needs --server and --api-key, or SHORTLIST_SERVER and SHORTLIST_API_KEY).',
    );

  jobs
    .command('create')
    .description('Create a job from a job file; prints its id (or the whole job with --json).')
    .requiredOption('-j, --job <file>', 'the job: a text file (first line = title) or a .json job')
    .option('--title <title>', 'job title (default: the first line of the job file)')
    .addOption(
      new Option('-c, --criterion <spec>', 'a criterion as name[:weight][!]; repeatable').argParser(
        collect,
      ),
    )
    .option('--json', 'print the created job as JSON')
    .action(
      async (
        options: { job: string; title?: string; criterion?: string[]; json?: boolean },
        command: Command,
      ) => {
        const client = requireClient(command.optsWithGlobals<GlobalOptions>(), 'jobs create');
        const body = await loadJob(options.job, {
          title: options.title,
          criteria: parseCriteria(options.criterion ?? []),
        });
        const job = await client.post<Job>('/v1/jobs', body);
        process.stdout.write(options.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
      },
    );

  jobs
    .command('list')
    .description('List your jobs, newest first.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const client = requireClient(globals, 'jobs list');
      const items: Job[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.get<Page<Job>>('/v1/jobs', { limit: 200, cursor });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        return;
      }
      const c = colorsFor(process.stdout, globals);
      for (const job of items)
        process.stdout.write(
          `${job.id}  ${c.bold(job.title)}  ${c.dim(`v${job.version} · ${job.criteria.length} criteria · ${job.createdAt}`)}\n`,
        );
    });

  jobs
    .command('show')
    .description('Show one job with its criteria as JSON.')
    .argument('<jobId>')
    .action(async (jobId: string, _options: unknown, command: Command) => {
      const client = requireClient(command.optsWithGlobals<GlobalOptions>(), 'jobs show');
      const job = await client.get<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`);
      process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
    });

  return jobs;
}

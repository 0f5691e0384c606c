import { Command } from 'commander';
import { criterionOption, jsonOption, type GlobalOptions } from './options';
import type { CreateJobOptions } from './jobs.action';

export function jobsCommand(): Command {
  const jobs = new Command('jobs')
    .summary('create, list and show jobs on a server')
    .description(
      'Jobs on a Shortlist server (needs --server and --api-key, or SHORTLIST_SERVER and ' +
        'SHORTLIST_API_KEY).',
    );
  const actions = () => import('./jobs.action');
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  jobs
    .command('create')
    .description('Create a job from a job file; prints its id (or the whole job with --json).')
    .requiredOption('-j, --job <file>', 'the job: a text file (first line = title) or a .json job')
    .option('--title <title>', 'job title (default: the first line of the job file)')
    .addOption(criterionOption())
    .addOption(jsonOption('the created job'))
    .action(async (options: CreateJobOptions, command: Command) =>
      (await actions()).createJob(options, globals(command)),
    );

  jobs
    .command('list')
    .description('List your jobs, newest first.')
    .addOption(jsonOption('the jobs'))
    .action(async (options: { json?: boolean }, command: Command) =>
      (await actions()).listJobs(options, globals(command)),
    );

  jobs
    .command('show')
    .description('Show one job with its criteria, as JSON.')
    .argument('<jobId>')
    .action(async (jobId: string, _options: unknown, command: Command) =>
      (await actions()).showJob(jobId, globals(command)),
    );

  return jobs;
}

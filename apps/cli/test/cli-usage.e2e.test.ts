import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { tempDir } from '@shortlist/testkit';
import { buildProgram } from '../src/program';
import { runCli } from './run-cli';

/** Every command path of the program, e.g. `admin cache stats`. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

describe('shortlist: help, usage errors and exit codes (real binary)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let job: string;

  beforeAll(async () => {
    dir = await tempDir('cli-usage');
    job = join(dir.path, 'job.txt');
    await writeFile(job, 'Backend engineer\nNode.js services in TypeScript with PostgreSQL.\n');
    await writeFile(join(dir.path, 'a.txt'), 'Ana Silva\nTypeScript and PostgreSQL for 5 years.\n');
  });
  afterAll(() => dir.remove());

  it('answers --help for every command with its usage and exit 0', async () => {
    const paths = [[], ...commandPaths(buildProgram())];
    expect(paths.length).toBeGreaterThan(12);
    const runs = await Promise.all(paths.map((p) => runCli([...p, '--help'])));
    runs.forEach((run, i) => {
      const name = ['shortlist', ...paths[i]!].join(' ');
      expect({ name, code: run.code }).toEqual({ name, code: 0 });
      expect(run.stdout).toContain(`Usage: ${name}`);
    });
    expect(runs[0]!.stdout).toMatch(/Exit codes:[\s\S]*2 +usage error/);
  }, 120_000);

  it.each([
    ['a missing required option', ['rank', 'dir'], /required option '-j, --job <file>'/],
    ['no folder', ['rank', '--job', 'JOB'], /missing required argument 'paths'/],
    ['an unknown option', ['rank', '--job', 'JOB', 'DIR', '--bogus'], /unknown option '--bogus'/],
    [
      'a folder that does not exist',
      ['rank', '--job', 'JOB', 'DIR/nope'],
      /No such file or folder/,
    ],
    [
      'a bad number',
      ['rank', '--job', 'JOB', 'DIR', '--top', 'many'],
      /--top must be a whole number/,
    ],
    [
      'an unknown export type',
      ['rank', '--job', 'JOB', 'DIR', '--out', 'r.xlsx'],
      /\.csv, \.json or \.html/,
    ],
    [
      'a job file that does not exist',
      ['rank', '--job', 'DIR/none.txt', 'DIR'],
      /Cannot read the job file/,
    ],
    ['a server command without a server', ['jobs', 'list'], /--server URL or set SHORTLIST_SERVER/],
    [
      'a server that is not a URL',
      ['--server', 'nowhere', '--api-key', 'k', 'jobs', 'list'],
      /must be a URL/,
    ],
    [
      'a server without a key',
      ['--server', 'http://127.0.0.1:9', 'jobs', 'list'],
      /needs an API key/,
    ],
    [
      'a bad choice',
      ['email', 'job_1', '--top', '3', '--kind', 'spam'],
      /argument 'spam' is invalid/,
    ],
  ])('rejects %s: prints usage and exits 2', async (_what, args, message) => {
    const run = await runCli(
      args.map((a) => a.replace('JOB', job).replace('DIR', dir.path)),
      { cwd: dir.path },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: shortlist /);
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown command with a suggestion and exits 2', async () => {
    const run = await runCli(['rnak']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'rnak'[\s\S]*Did you mean rank\?/);
  });

  it('uses colours only when asked on a non-terminal, and NO_COLOR always wins', async () => {
    const args = ['rank', '--job', job, dir.path, '--no-progress'];
    const plain = await runCli(args);
    const forced = await runCli(args, { env: { FORCE_COLOR: '1' } });
    const noColor = await runCli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    for (const run of [plain, forced, noColor]) expect(run.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(plain.stdout + plain.stderr).not.toMatch(ansi);
    expect(forced.stdout).toMatch(ansi);
    expect(noColor.stdout + noColor.stderr).not.toMatch(ansi);
  });
});

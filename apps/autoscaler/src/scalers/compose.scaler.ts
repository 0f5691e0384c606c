import { execFile } from 'node:child_process';
import type { Scaler } from './scaler';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and reports how it ended; never rejects on a non-zero exit. */
export type CommandRunner = (command: string, args: string[]) => Promise<CommandResult>;

export const execRunner: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { maxBuffer: 4 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (error?.message ?? '')) });
      },
    );
  });

export interface ComposeScalerOptions {
  /** Folder of docker-compose.yml (the autoscaler container mounts the project there). */
  projectDir: string;
  projectName?: string;
  file?: string;
  run?: CommandRunner;
  docker?: string;
}

/**
 * Scales a docker compose service with `docker compose up --scale`: `--no-deps` leaves the other
 * services alone, `--no-recreate` keeps running replicas running, `--no-build` never builds.
 * Scaling down stops the extra containers with SIGTERM and the service's stop_grace_period.
 */
export class ComposeScaler implements Scaler {
  readonly kind = 'compose';
  private readonly run: CommandRunner;

  constructor(private readonly options: ComposeScalerOptions) {
    this.run = options.run ?? execRunner;
  }

  private compose(...args: string[]): string[] {
    return [
      'compose',
      '--project-directory',
      this.options.projectDir,
      ...(this.options.file ? ['--file', this.options.file] : []),
      ...(this.options.projectName ? ['--project-name', this.options.projectName] : []),
      ...args,
    ];
  }

  private async exec(args: string[]): Promise<string> {
    const docker = this.options.docker ?? 'docker';
    const result = await this.run(docker, args);
    if (result.code !== 0)
      throw new Error(
        `${docker} ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`,
      );
    return result.stdout;
  }

  async replicas(service: string): Promise<number> {
    const out = await this.exec(this.compose('ps', '--status', 'running', '--quiet', service));
    return out.split('\n').filter((line) => line.trim() !== '').length;
  }

  async scaleTo(service: string, count: number): Promise<void> {
    await this.exec(
      this.compose(
        'up',
        '--detach',
        '--no-deps',
        '--no-recreate',
        '--no-build',
        '--scale',
        `${service}=${count}`,
        service,
      ),
    );
  }

  async close(): Promise<void> {}
}

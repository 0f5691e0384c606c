import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from '@shortlist/observability';
import type { Scaler } from './scaler';

export interface LocalCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LocalScalerOptions {
  services: Record<string, LocalCommand>;
  logger?: Logger;
  /** How long a stopping worker may take (its own shutdown grace) before SIGKILL. */
  stopTimeoutMs?: number;
  stdio?: StdioOptions;
}

interface Replica {
  child: ChildProcess;
  exited: Promise<unknown>;
  stopping: boolean;
}

/**
 * Worker processes on this machine for the embedded setup (one SQLite file, one blob folder).
 * Scaling down sends SIGTERM to the newest replicas: a worker stops taking jobs, lets active ones
 * finish and hands the rest back to the queue. A replica that dies on its own is no longer
 * counted, so the next tick starts a new one.
 */
export class LocalProcessScaler implements Scaler {
  readonly kind = 'local';
  private readonly replicasOf = new Map<string, Replica[]>();
  private readonly stopping = new Set<Promise<unknown>>();
  /** Replicas that exited, with how they ended (a graceful stop exits 0). */
  readonly exits: { service: string; pid: number; code: number | null; signal: string | null }[] =
    [];

  constructor(private readonly options: LocalScalerOptions) {}

  private alive(service: string): Replica[] {
    return (this.replicasOf.get(service) ?? []).filter(
      (r) => r.child.exitCode === null && r.child.signalCode === null && !r.stopping,
    );
  }

  /** PIDs of the running replicas of `service`, oldest first. */
  pids(service: string): number[] {
    return this.alive(service).map((r) => r.child.pid!);
  }

  async replicas(service: string): Promise<number> {
    return this.alive(service).length;
  }

  async scaleTo(service: string, count: number): Promise<void> {
    const spec = this.options.services[service];
    if (!spec) throw new Error(`no local command for service "${service}"`);
    const alive = this.alive(service);
    this.replicasOf.set(service, alive);
    for (let i = alive.length; i < count; i++) alive.push(this.start(service, spec));
    for (const replica of alive.splice(count).reverse()) this.stop(service, replica);
  }

  private start(service: string, spec: LocalCommand): Replica {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: this.options.stdio ?? ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (error) =>
      this.options.logger?.error('worker process error', { service, error }),
    );
    const exited = once(child, 'exit').then(([code, signal]) => {
      this.exits.push({ service, pid: child.pid!, code, signal });
      this.options.logger?.info('worker process exited', { service, pid: child.pid, code, signal });
    });
    this.options.logger?.info('worker process started', { service, pid: child.pid });
    return { child, exited, stopping: false };
  }

  private stop(service: string, replica: Replica): void {
    replica.stopping = true;
    this.options.logger?.info('stopping worker process', { service, pid: replica.child.pid });
    replica.child.kill('SIGTERM');
    const timer = setTimeout(
      () => replica.child.kill('SIGKILL'),
      this.options.stopTimeoutMs ?? 30_000,
    );
    const done = replica.exited.finally(() => {
      clearTimeout(timer);
      this.stopping.delete(done);
    });
    this.stopping.add(done);
  }

  /** Resolves once every replica told to stop has exited. */
  async settled(): Promise<void> {
    await Promise.all([...this.stopping]);
  }

  async close(): Promise<void> {
    for (const [service, replicas] of this.replicasOf)
      for (const replica of replicas)
        if (!replica.stopping && replica.child.exitCode === null) this.stop(service, replica);
    this.replicasOf.clear();
    await this.settled();
  }
}

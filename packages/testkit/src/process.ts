import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first stdout/stderr line matching `pattern`, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (default SIGTERM) and waits for exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/** Starts a process we own; tests stop it by PID through {@link RunningProcess.stop}. */
export function startProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; label?: string } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  let buffer = '';
  const waiters: { pattern: RegExp; resolve(m: RegExpMatchArray): void }[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString();
    if (buffer.length > 2_000_000) buffer = buffer.slice(-1_000_000);
    for (const waiter of [...waiters]) {
      const match = buffer.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });

  return {
    child,
    pid: child.pid,
    output: () => buffer,
    waitFor(pattern, timeoutMs = 30_000) {
      const match = buffer.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `${options.label ?? command}: no output matching ${pattern} after ${timeoutMs} ms` +
                `${exitCode !== undefined ? ` (exited with ${exitCode})` : ''}; output:\n${buffer.slice(-4_000)}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (exitCode !== undefined) return exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code;
    },
  };
}

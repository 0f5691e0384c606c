import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
const TICKS = 100;

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc. On a shared
 * machine wall time depends on the neighbours; CPU time per unit of work much less, so the
 * pipeline benches report both.
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds used by each named process between `start()` and `stop()`. */
export function cpuMeter(pids: Record<string, number>) {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const self = process.cpuUsage();
  return () => {
    const used: Record<string, number> = {};
    for (const [k, pid] of Object.entries(pids)) used[k] = cpuSeconds(pid) - before[k]!;
    const mine = process.cpuUsage(self);
    used.bench = (mine.user + mine.system) / 1e6;
    return used;
  };
}

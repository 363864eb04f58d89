import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A process's /proc/<pid>/stat: its command name, and the fields after "pid (comm) " (field 3, state, is index 0). */
function readStat(pid: number | string): { comm: string; fields: string[] } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is no /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const { fields } = readStat(pid);
    // utime 14 and stime 15 (1-based), so 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds the local PostgreSQL server has used so far, all its processes: the postmaster, its
 * live children (backends, WAL writer, autovacuum…) and the children it has reaped (cutime and
 * cstime, fields 16 and 17). NaN where there is no /proc or no postmaster here.
 */
export function postgresCpuSeconds(): number {
  try {
    const processes = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => {
        try {
          return [{ pid: Number(name), ...readStat(name) }];
        } catch {
          return []; // exited meanwhile
        }
      });
    const postmaster = processes.find((p) => p.comm === 'postgres' && processes.find((q) => q.pid === Number(p.fields[1]))?.comm !== 'postgres');
    if (!postmaster) return Number.NaN;
    const ticks = (f: string[], from: number, to: number) => f.slice(from, to + 1).reduce((s, x) => s + Number(x), 0);
    const children = processes.filter((p) => Number(p.fields[1]) === postmaster.pid);
    return (ticks(postmaster.fields, 11, 14) + children.reduce((s, c) => s + ticks(c.fields, 11, 12), 0)) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

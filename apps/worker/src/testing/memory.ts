import { readFileSync } from 'node:fs';

/** A process's memory as Linux counts it, in MiB: resident now, and the most it has been resident. */
export interface ProcessMemory {
  readonly rssMb: number;
  readonly peakMb: number;
}

/** VmRSS and VmHWM from `/proc/<pid>/status` (Linux only). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) / 1024;
  };
  return { rssMb: kib('VmRSS'), peakMb: kib('VmHWM') };
}

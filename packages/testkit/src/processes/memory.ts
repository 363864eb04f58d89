import { readFileSync } from 'node:fs';

/**
 * A process's memory as Linux counts it, in MiB: resident now, the most it has been resident, and
 * its proportional share (PSS: pages shared with other processes, such as the node binary two apps
 * both run, divided among them, so PSS adds up across processes where RSS counts them twice).
 */
export interface ProcessMemory {
  readonly rssMb: number;
  readonly peakMb: number;
  readonly pssMb: number;
}

/** `field`, in MiB, from a /proc file of `Name:  123 kB` lines. */
function mib(file: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file} has no ${field}`);
  return Number(match[1]) / 1024;
}

/** VmRSS and VmHWM from `/proc/<pid>/status`, Pss from `/proc/<pid>/smaps_rollup` (Linux only). */
export function processMemory(pid: number): ProcessMemory {
  const status = `/proc/${pid}/status`;
  return { rssMb: mib(status, 'VmRSS'), peakMb: mib(status, 'VmHWM'), pssMb: mib(`/proc/${pid}/smaps_rollup`, 'Pss') };
}

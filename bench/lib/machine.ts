import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** The facts that make absolute figures comparable (or not): print them with every benchmark. */
export function machineFacts(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    `date ${new Date().toISOString()}`,
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `${platform()} ${release()}`,
    `Node ${process.version}`,
    `load average ${load} (others may be using this machine)`,
  ].join(' · ');
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `verdict(0.62, '≥', 0.5)` → "met" / "MISSED". */
export function verdict(value: number, op: '≥' | '<' | '≤', goal: number): string {
  const ok = op === '≥' ? value >= goal : op === '<' ? value < goal : value <= goal;
  return ok ? 'met' : 'MISSED';
}

/** Reads `--name value` / `--name=value` from argv (benchmarks take options on the command line). */
export function option(name: string, fallback: number): number;
export function option(name: string, fallback: string): string;
export function option(name: string, fallback: number | string): number | string {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === `--${name}`) value = args[i + 1];
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    if (value === undefined) continue;
    if (typeof fallback === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
      return n;
    }
    return value;
  }
  return fallback;
}

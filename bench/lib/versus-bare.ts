import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchApi } from './api.ts';
import { cpuSeconds } from './cpu.ts';
import { fmtMs, fmtRate, load, type LoadResult } from './load.ts';
import { median, verdict } from './machine.ts';
import { spawnNode } from './proc.ts';

export interface VersusBare {
  readonly api: BenchApi;
  /** The API's path and its answer's bytes, which the bare server returns. */
  readonly path: string;
  readonly bytes: Buffer;
  /** The API's row name. */
  readonly label: string;
  readonly goal: number;
  readonly connections: number;
  readonly rounds: number;
  readonly duration: number;
}

type Measured = LoadResult & { cpuUs: number };

/**
 * `GET path` on the API beside a bare `node:http` server returning the same bytes, in a process of
 * its own on the API's core; measured alternately (ceiling, API, ceiling, API, …) after a warm-up of
 * each, so both see the same machine. Prints each one's row and the ratio of medians against `goal`.
 */
export async function versusBare({ api, path, bytes, label, goal, connections, rounds, duration }: VersusBare): Promise<void> {
  const bodyFile = join(api.dataDir, 'bare-body.json');
  writeFileSync(bodyFile, bytes);
  const bare = spawnNode(fileURLToPath(new URL('./bare-http.ts', import.meta.url)), [bodyFile], {}, { cpu: 0 });
  try {
    const bareUrl = `http://127.0.0.1:${String((await bare.waitFor((l) => l.msg === 'listening')).port)}`;
    /** One run, with the server process's CPU time per request (robust to a busy machine, unlike req/s). */
    const run = async (url: string, pid: number, seconds: number): Promise<Measured> => {
      const before = cpuSeconds(pid);
      const result = await load({ url: `${url}${path}`, duration: seconds, connections });
      return { ...result, cpuUs: ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, result.ok + result.non2xx) };
    };
    const barePid = bare.child.pid!;
    const apiPid = api.process.child.pid!;
    await run(bareUrl, barePid, 2);
    await run(api.url, apiPid, 3); // warm-up: JIT, statement caches
    const ceiling: Measured[] = [];
    const endpoint: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      ceiling.push(await run(bareUrl, barePid, duration));
      endpoint.push(await run(api.url, apiPid, duration));
    }

    const width = Math.max(26, label.length + 1);
    const row = (name: string, results: Measured[]) => {
      const bad = results.reduce((n, x) => n + x.non2xx + x.errors + x.timeouts, 0);
      console.log(
        `${name.padEnd(width)} ${fmtRate(median(results.map((x) => x.rps)))} req/s   p50 ${fmtMs(median(results.map((x) => x.p50)))}   p99 ${fmtMs(median(results.map((x) => x.p99)))}   ${median(results.map((x) => x.cpuUs)).toFixed(0).padStart(5)} µs CPU/req   rounds ${results.map((x) => Math.round(x.rps)).join(', ')}${bad ? `   ${bad} failed` : ''}`,
      );
    };
    row('ceiling: bare node:http', ceiling);
    row(label, endpoint);
    const ratio = median(endpoint.map((x) => x.rps)) / median(ceiling.map((x) => x.rps));
    const failures = [...ceiling, ...endpoint].filter((x) => x.non2xx + x.errors + x.timeouts > 0);
    if (failures.length) console.log(`failed runs: ${failures.map((x) => JSON.stringify({ statuses: x.statuses, errors: x.errors, timeouts: x.timeouts })).join(' ')}; API's last log lines: ${JSON.stringify(api.process.lines.slice(-3))}`);
    const cpuRatio = median(ceiling.map((x) => x.cpuUs)) / median(endpoint.map((x) => x.cpuUs));
    console.log(`ratio API/ceiling: ${ratio.toFixed(3)} (req/s)   goal ≥ ${goal}: ${verdict(ratio, '≥', goal)}   CPU-time ratio ceiling/API: ${cpuRatio.toFixed(3)}`);
  } finally {
    await bare.stop();
  }
}

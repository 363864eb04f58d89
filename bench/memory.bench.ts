/**
 * Memory benchmark of the embedded default, run on demand: `pnpm bench:memory` (options:
 * --bookings 50 --settle 20).
 *
 * The system as `pnpm start` runs it on an empty data directory: the API (`node apps/api/src/main.ts`,
 * SQLite) and, once it listens, the worker (`node apps/worker/src/main.ts`, embedded PGlite queue,
 * mail to a local SMTP sink in this process). Clients book over REST; the worker sends both
 * confirmations of each booking. Then it settles (the queue's maintenance passes run) and both
 * processes' resident memory (VmRSS) and peak (VmHWM, start-up included) are read from /proc. The
 * worker is then restarted on the now initialized queue and measured again, draining as many more.
 * "System" adds the two processes: steady is the sum of their RSS, peak the sum of their VmHWM (an
 * upper bound: their peaks need not coincide) and the largest sum sampled every 50 ms.
 * Project goal: the embedded system within 400 MB steady and 600 MB at peak.
 */
import { ADMIN, call, login, SECRET_KEY, seedClients, seedStaff, startApi, type BenchApi } from './lib/api.ts';
import { machineFacts, option, verdict } from './lib/machine.ts';
import { spawnNode, WORKER_MAIN, type NodeProcess } from './lib/proc.ts';
import { startCountingSink } from './lib/sink.ts';
import { processMemory } from '@appointments/testkit/processes';
import { sinkMailEnv } from '@appointments/testkit/smtp';
import NODE_FLAGS from '../scripts/app-node-flags.json' with { type: 'json' };

const bookings = option('bookings', 50);
const settleSeconds = option('settle', 20);
const GOAL = { steadyMb: 400, peakMb: 600 } as const;
const CLIENTS = 10;
const HOUR = 3_600_000;

console.log(`# Memory of the embedded system (API + worker, SQLite + PGlite) — ${machineFacts()}`);
const sink = await startCountingSink();
let api: BenchApi | undefined;
let worker: NodeProcess | undefined;

/** The largest sum of both processes' RSS seen while `sampling` runs. */
function sampleSum(pids: () => number[]): { stop(): number } {
  let max = 0;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, pids().reduce((sum, pid) => sum + processMemory(pid).rssMb, 0));
    } catch {
      // a process between exit and restart
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

const mb = (n: number) => `${n.toFixed(0)} MB`;

try {
  // With the node flags `pnpm start` gives both apps.
  api = await startApi({ nodeArgs: NODE_FLAGS });
  const started = api;
  const apiPid = started.process.child.pid!;
  const env = { NODE_ENV: 'production', SECRET_KEY, LOG_LEVEL: 'info', DATA_DIR: started.dataDir, DATABASE_URL: started.databaseUrl, ...sinkMailEnv(sink.port), WORKER_PORT: '0' };
  const sampler = sampleSum(() => [apiPid, ...(worker?.child.pid ? [worker.child.pid] : [])]);

  const admin = await login(started.url, ADMIN.email, ADMIN.password);
  const [staffId] = await seedStaff(started.url, admin, 1, [0, 1, 2, 3, 4, 5, 6].map((day_of_week) => ({ day_of_week, start_time: '00:00:00', end_time: '24:00:00' })));
  const clients = await seedClients(started.url, CLIENTS);
  const base = Math.ceil(Date.now() / HOUR) * HOUR + 72 * HOUR;
  let booked = 0;
  const book = async (count: number) => {
    for (let i = 0; i < count; i++, booked++) {
      const start = base + booked * HOUR;
      await call(started.url, clients[booked % CLIENTS]!.token, 'POST', '/api/v1/appointments', {
        staff_id: staffId,
        start_time: new Date(start).toISOString(),
        end_time: new Date(start + HOUR).toISOString(),
      });
    }
  };

  /** Starts the worker, books `bookings`, waits for their emails, lets it settle; its memory. */
  const run = async (label: string) => {
    const spawned = Date.now();
    worker = spawnNode(WORKER_MAIN, [], env, { cwd: started.dataDir, nodeArgs: NODE_FLAGS });
    await worker.waitForLog(/^worker started/, 120_000);
    const startSeconds = (Date.now() - spawned) / 1000;
    await book(bookings);
    await sink.waitForDistinct(booked * 2, 120_000);
    const drainSeconds = (Date.now() - spawned) / 1000 - startSeconds;
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    const memory = { api: processMemory(apiPid), worker: processMemory(worker.child.pid!) };
    console.log(
      `${label}: worker started in ${startSeconds.toFixed(1)} s, ${bookings * 2} emails sent in ${drainSeconds.toFixed(1)} s; after ${settleSeconds} s settling:` +
        ` worker RSS ${mb(memory.worker.rssMb)} (peak ${mb(memory.worker.peakMb)}), API RSS ${mb(memory.api.rssMb)} (peak ${mb(memory.api.peakMb)})`,
    );
    return memory;
  };

  const first = await run('first start (empty data dir: the queue is created)');
  expectExit(await worker!.stop());
  const again = await run('restart (the queue exists)');
  expectExit(await worker!.stop());
  const sampledMax = sampler.stop();

  const steady = Math.max(first.api.rssMb + first.worker.rssMb, again.api.rssMb + again.worker.rssMb);
  const peak = Math.max(first.worker.peakMb, again.worker.peakMb) + again.api.peakMb;
  const pss = Math.max(first.api.pssMb + first.worker.pssMb, again.api.pssMb + again.worker.pssMb);
  console.log(`system steady (API + worker RSS, the larger of both runs): ${mb(steady)}; goal ≤ ${GOAL.steadyMb} MB: ${verdict(steady, '≤', GOAL.steadyMb)}`);
  console.log(`system steady as proportional shares (PSS; the node binary both run counted once): ${mb(pss)}`);
  console.log(`system peak (API VmHWM + worker VmHWM): ${mb(peak)} (largest sampled sum ${mb(sampledMax)}); goal ≤ ${GOAL.peakMb} MB: ${verdict(peak, '≤', GOAL.peakMb)}`);
  const problems = worker!.lines.filter((l) => typeof l.level === 'number' && l.level >= 40);
  if (problems.length) console.log(`worker: ${problems.length} warnings/errors, first: ${JSON.stringify(problems[0])}`);
} finally {
  await worker?.stop();
  await api?.stop();
  await sink.close();
}

function expectExit(code: number | string): void {
  if (code !== 0) throw new Error(`the worker exited with ${code}`);
}

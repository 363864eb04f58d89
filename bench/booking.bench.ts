/**
 * Booking benchmark, run on demand: `pnpm bench:booking` (options: --engine sqlite|postgresql|both
 * --duration 10 --rounds 3 --connections 10 --warmup 15 --profile; with --profile the API writes a CPU profile
 * to the OS temp directory's appointments-bench-profiles on exit).
 *
 * Many clients book distinct free 30-minute slots (REST POST /api/v1/appointments, bearer token,
 * the full path: auth, validation, the rules check, the insert with its history row and change
 * row) against the API as deployed, in its own process, loaded by autocannon in this process.
 * The ceiling, in its own process on the same database: raw check-and-insert transactions (see
 * lib/booking-ceiling.ts). Measurements alternate; the ratio is of medians.
 * Project goal: ≥ 0.3 of the ceiling, on SQLite and on PostgreSQL.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, call, loadBookings, login, seedClients, seedStaff, startApi, type BenchApi } from './lib/api.ts';
import type { CeilingConfig } from './lib/booking-ceiling.ts';
import { cpuSeconds, postgresCpuSeconds } from './lib/cpu.ts';
import { fmtMs, fmtRate } from './lib/load.ts';
import { machineFacts, median, option, verdict } from './lib/machine.ts';
import { throwawayDatabase } from './lib/pg.ts';
import { canPin, pinSelf, spawnNode } from './lib/proc.ts';

const duration = option('duration', 10);
const rounds = option('rounds', 3);
const connections = option('connections', 10);
const warmup = option('warmup', 15);
const engineOption = option('engine', 'both');
const profileDir = process.argv.includes('--profile') ? join(tmpdir(), 'appointments-bench-profiles') : undefined;
const engines = (engineOption === 'both' ? ['sqlite', 'postgresql'] : [engineOption]) as ('sqlite' | 'postgresql')[];
const STAFF = 20;
// One client per staff member: each time slot's bookings are then all different clients' (a client cannot be in two places).
const CLIENTS = STAFF;
const MIN = 60_000;
const DAY = 86_400_000;
// The issue: "Goal: ≥ 0.3 of the ceiling; also on PostgreSQL."
const GOAL = { sqlite: 0.3, postgresql: 0.3 } as const;
const CEILING = { sqlite: 'BEGIN IMMEDIATE + SELECT + INSERT + COMMIT', postgresql: 'INSERT guarded by EXCLUDE, pool 10' } as const;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** PostgreSQL server CPU per operation (all its processes; NaN on SQLite). */
  serverUs: number;
  failed: number;
  statuses?: Record<string, number>;
}

console.log(`# Booking vs raw check-and-insert — ${machineFacts()}`);
pinSelf(1);

async function bench(engine: 'sqlite' | 'postgresql'): Promise<void> {
  const database = engine === 'postgresql' ? await throwawayDatabase() : undefined;
  let api: BenchApi | undefined;
  try {
    api = await startApi({ cpu: 0, ...(database && { databaseUrl: database.url }), ...(profileDir && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }) });
    const { url } = api;
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((day_of_week) => ({ day_of_week, start_time: '00:00:00', end_time: '24:00:00' }));
    const admin = await login(url, ADMIN.email, ADMIN.password);
    const apiStaff = await seedStaff(url, admin, STAFF, weekly, 'api-staff');
    const ceilingStaff = await seedStaff(url, admin, STAFF, weekly, 'raw-staff');
    const clients = await seedClients(url, CLIENTS);
    // The raw inserts book the same times with their own staff members, so with their own clients too.
    const ceilingClients = await seedClients(url, CLIENTS, 'raw-client');
    const base = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
    const target = engine === 'sqlite' ? api.databaseUrl.replace(/^sqlite:\/\//, '') : api.databaseUrl;

    // The n-th booking request: a distinct free slot, round-robin over staff members and clients.
    let n = 0;
    const next = () => {
      const i = n++;
      const start = base + Math.floor(i / STAFF) * 30 * MIN;
      return {
        token: clients[i % CLIENTS]!.token,
        body: JSON.stringify({ staff_id: apiStaff[i % STAFF], start_time: new Date(start).toISOString(), end_time: new Date(start + 30 * MIN).toISOString() }),
      };
    };
    {
      const first = next();
      await call(url, first.token, 'POST', '/api/v1/appointments', JSON.parse(first.body));
    }
    const apiPid = api.process.child.pid!;
    const serverSeconds = () => (engine === 'postgresql' ? postgresCpuSeconds() : Number.NaN);
    const runApi = async (seconds: number): Promise<Measured> => {
      const before = cpuSeconds(apiPid);
      const serverBefore = serverSeconds();
      const r = await loadBookings(url, seconds, connections, next);
      const requests = Math.max(1, r.ok + r.non2xx);
      return { rps: r.rps, p50: r.p50, p99: r.p99, cpuUs: ((cpuSeconds(apiPid) - before) * 1e6) / requests, serverUs: ((serverSeconds() - serverBefore) * 1e6) / requests, failed: r.non2xx + r.errors + r.timeouts, statuses: { ...r.statuses, ...(r.errors && { errors: r.errors }) } };
    };

    let ceilingBooked = 0;
    const runCeiling = async (seconds: number): Promise<Measured> => {
      // Each run continues where the last one stopped, so every insert finds its slot free.
      const config: CeilingConfig = { engine, target, staffIds: ceilingStaff, clientIds: ceilingClients.map((c) => c.id), base, first: ceilingBooked, seconds, concurrency: 10 };
      const serverBefore = serverSeconds();
      const child = spawnNode(fileURLToPath(new URL('./lib/booking-ceiling.ts', import.meta.url)), [JSON.stringify(config)], {}, { cpu: 0 });
      const done = await child.waitFor((l) => l.msg === 'done', (seconds + 60) * 1000);
      const count = Number(done.count);
      ceilingBooked += count;
      return { rps: count / Number(done.seconds), p50: Number(done.p50), p99: Number(done.p99), cpuUs: Number(done.cpuUs) / Math.max(1, count), serverUs: ((serverSeconds() - serverBefore) * 1e6) / Math.max(1, count), failed: 0 };
    };

    console.log(`\n## ${engine}: ${STAFF} staff members (24/7), ${CLIENTS} clients, ${connections} connections, ${rounds} × ${duration} s each after a ${warmup} s warm-up, alternating${canPin ? '; API and ceiling on CPU 0, autocannon on CPU 1' : ''}${profileDir ? `; API CPU profile in ${profileDir}` : ''}`);
    // Warm-ups: the API reaches its steady rate only after ~15 s under load (rounds of 6 s after a
    // 3 s warm-up read 1,394, 1,646, 1,751, 1,803, 1,750/s): V8 optimises the request path's many
    // functions over time. The ceiling's one loop is at full speed within a second.
    await runCeiling(2);
    await runApi(warmup);
    const ceiling: Measured[] = [];
    const booking: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      ceiling.push(await runCeiling(duration));
      booking.push(await runApi(duration));
    }
    const row = (name: string, results: Measured[]) => {
      const failed = results.reduce((s, x) => s + x.failed, 0);
      console.log(
        `${name.padEnd(50)} ${fmtRate(median(results.map((x) => x.rps)))} /s   p50 ${fmtMs(median(results.map((x) => x.p50)))}   p99 ${fmtMs(median(results.map((x) => x.p99)))}   ${median(results.map((x) => x.cpuUs)).toFixed(0).padStart(5)} µs CPU/op${engine === 'postgresql' ? `   server ${median(results.map((x) => x.serverUs)).toFixed(0).padStart(5)} µs CPU/op` : ''}   rounds ${results.map((x) => Math.round(x.rps)).join(', ')}${failed ? `   ${failed} FAILED` : ''}`,
      );
    };
    row(`ceiling: ${CEILING[engine]}`, ceiling);
    row('API: POST /api/v1/appointments (201s)', booking);
    const failures = booking.filter((x) => x.failed > 0);
    if (failures.length) console.log(`failed runs: ${failures.map((x) => JSON.stringify(x.statuses)).join(' ')}; API's last log lines: ${JSON.stringify(api.process.lines.slice(-3))}`);
    const ratio = median(booking.map((x) => x.rps)) / median(ceiling.map((x) => x.rps));
    console.log(`ratio API/ceiling: ${ratio.toFixed(3)}   goal ≥ ${GOAL[engine]}: ${verdict(ratio, '≥', GOAL[engine])}   (CPU µs/op of the API process vs the ceiling process: ${(median(booking.map((x) => x.cpuUs)) / median(ceiling.map((x) => x.cpuUs))).toFixed(1)}×)`);
  } finally {
    await api?.stop();
    await database?.drop();
  }
}

for (const engine of engines) await bench(engine);

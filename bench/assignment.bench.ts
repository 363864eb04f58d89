/**
 * Assignment benchmark, run on demand: `pnpm bench:assignment` (options: --engine sqlite|postgresql|both
 * --duration 5 --rounds 3 --connections 10 --warmup 10 --staff 4 --services 12).
 *
 * Three streams of bookings against the API as deployed, in its own process, loaded by autocannon
 * in this process, alternating so they share the machine's state: a named staff member (today's
 * booking), a named staff member for a service, and a service with no staff member named (the API
 * reads the service, judges each of its `--staff` candidates, counts their day in one query and
 * writes the fairest). Each stream has its own staff members and clients, so none refuses another.
 * Reported: each stream's rate and API CPU per booking, and the CPU ratio of assignment to the
 * named booking. Project goal: ≤ 1.5×.
 */
import { ADMIN, call, loadBookings, login, seedClients, seedStaff, startApi, type BenchApi } from './lib/api.ts';
import { cpuSeconds } from './lib/cpu.ts';
import { fmtMs, fmtRate } from './lib/load.ts';
import { machineFacts, median, option, verdict } from './lib/machine.ts';
import { throwawayDatabase } from './lib/pg.ts';
import { canPin, pinSelf } from './lib/proc.ts';

const duration = option('duration', 5);
const rounds = option('rounds', 3);
const connections = option('connections', 10);
const warmup = option('warmup', 10);
const perService = option('staff', 4);
// At least as many services as connections: bookings in flight together then name different
// services, so the figure is assignment's own cost. Fewer services measure contention: racing
// requests pick the same fairest candidate, and the losers write again on the next one.
const SERVICES = option('services', 12);
const engineOption = option('engine', 'both');
const engines = (engineOption === 'both' ? ['sqlite', 'postgresql'] : [engineOption]) as ('sqlite' | 'postgresql')[];
const STAFF = SERVICES * perService;
// As many clients as bookings of one time: a client cannot be in two places.
const CLIENTS = STAFF;
const MIN = 60_000;
const DAY = 86_400_000;
const GOAL = 1.5;

interface Measured {
  rps: number;
  p50: number;
  cpuUs: number;
  failed: number;
  statuses: Record<string, number>;
}

type Stream = 'named' | 'named, by service' | 'assigned';

console.log(`# Booking with assignment vs a named staff member — ${machineFacts()}`);
pinSelf(1);

async function bench(engine: 'sqlite' | 'postgresql'): Promise<void> {
  const database = engine === 'postgresql' ? await throwawayDatabase() : undefined;
  let api: BenchApi | undefined;
  try {
    api = await startApi({ cpu: 0, ...(database && { databaseUrl: database.url }) });
    const { url } = api;
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((day_of_week) => ({ day_of_week, start_time: '00:00:00', end_time: '24:00:00' }));
    const admin = await login(url, ADMIN.email, ADMIN.password);
    const base = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
    /** A stream's staff, the services they offer (in groups of `perService`), its clients, and its n-th request body. */
    const streams = new Map<Stream, () => { token: string; body: string }>();
    for (const stream of ['named', 'named, by service', 'assigned'] as const) {
      const prefix = stream.replace(/\W+/g, '-');
      const staff = await seedStaff(url, admin, STAFF, weekly, `${prefix}-staff`);
      const clients = await seedClients(url, CLIENTS, `${prefix}-client`);
      const services: number[] = [];
      for (let s = 0; s < SERVICES; s++) {
        const staffIds = staff.slice(s * perService, (s + 1) * perService);
        services.push((await call<{ id: number }>(url, admin, 'POST', '/api/v1/services', { name: `${prefix} ${s}`, duration_minutes: 30, currency: 'EUR', staff_ids: staffIds })).id);
      }
      let n = 0;
      // The n-th booking: every staff member once per half hour, round-robin over clients; requests in
      // a row go to different services, so those in flight together race for one service's staff
      // only as often as the connections outnumber the services.
      streams.set(stream, () => {
        const i = n++;
        const start = new Date(base + Math.floor(i / STAFF) * 30 * MIN).toISOString();
        const serviceIndex = i % SERVICES;
        const staffIndex = serviceIndex * perService + (Math.floor(i / SERVICES) % perService);
        const service = services[serviceIndex]!;
        const body =
          stream === 'named'
            ? { staff_id: staff[staffIndex], start_time: start, end_time: new Date(Date.parse(start) + 30 * MIN).toISOString() }
            : stream === 'named, by service'
              ? { service_id: service, staff_id: staff[staffIndex], start_time: start }
              : { service_id: service, start_time: start };
        return { token: clients[i % CLIENTS]!.token, body: JSON.stringify(body) };
      });
    }
    const apiPid = api.process.child.pid!;
    const run = async (stream: Stream, seconds: number): Promise<Measured> => {
      const next = streams.get(stream)!;
      const before = cpuSeconds(apiPid);
      const r = await loadBookings(url, seconds, connections, next);
      const requests = Math.max(1, r.ok + r.non2xx);
      return { rps: r.rps, p50: r.p50, cpuUs: ((cpuSeconds(apiPid) - before) * 1e6) / requests, failed: r.non2xx + r.errors + r.timeouts, statuses: r.statuses };
    };

    console.log(
      `\n## ${engine}: ${SERVICES} services of ${perService} staff members (24/7) per stream, ${CLIENTS} clients each, ${connections} connections, ${rounds} × ${duration} s per stream after a ${warmup} s warm-up each, alternating${canPin ? '; API on CPU 0, autocannon on CPU 1' : ''}`,
    );
    const results = new Map<Stream, Measured[]>();
    for (const stream of streams.keys()) {
      await run(stream, warmup);
      results.set(stream, []);
    }
    for (let r = 0; r < rounds; r++) for (const stream of streams.keys()) results.get(stream)!.push(await run(stream, duration));
    const cpu = (stream: Stream) => median(results.get(stream)!.map((x) => x.cpuUs));
    for (const [stream, measured] of results) {
      const failed = measured.reduce((s, x) => s + x.failed, 0);
      console.log(
        `${`POST /api/v1/appointments, ${stream}`.padEnd(48)} ${fmtRate(median(measured.map((x) => x.rps)))} /s   p50 ${fmtMs(median(measured.map((x) => x.p50)))}   ${cpu(stream).toFixed(0).padStart(5)} µs CPU/op   rounds ${measured.map((x) => Math.round(x.rps)).join(', ')}${failed ? `   ${failed} FAILED ${JSON.stringify(measured.map((x) => x.statuses))}` : ''}`,
      );
    }
    const ratio = cpu('assigned') / cpu('named');
    console.log(`CPU per booking, assigned / named: ${ratio.toFixed(2)}×   goal ≤ ${GOAL}×: ${verdict(ratio, '≤', GOAL)}   (assigned / named by service: ${(cpu('assigned') / cpu('named, by service')).toFixed(2)}×)`);
  } finally {
    await api?.stop();
    await database?.drop();
  }
}

for (const engine of engines) await bench(engine);

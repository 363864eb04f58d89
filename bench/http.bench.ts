/**
 * Slots endpoint benchmark, run on demand: `pnpm bench:http` (options: --duration 10 --rounds 2
 * --connections 10 --profile; with --profile the API writes a CPU profile to the OS temp
 * directory's appointments-bench-profiles on exit).
 *
 * One staff member (Mon–Fri 09–17, UTC) with a few bookings; GET /api/v1/availability/slots for a
 * 7-day range at 60-minute slots, over loopback, by autocannon in this process. The API runs as
 * deployed (`node apps/api/src/main.ts`, SQLite, LOG_LEVEL=warn) in its own process; the ceiling is
 * a bare `node:http` server returning the very same bytes, also in its own process. Both servers
 * share one core and the load generator has the other (when `taskset` exists). Measurements
 * alternate (ceiling, API, ceiling, API, …) so both see the same machine; the ratio is of medians.
 * Project goal: ≥ 0.5 of the ceiling.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, call, login, seedClients, seedStaff, startApi } from './lib/api.ts';
import { machineFacts, option } from './lib/machine.ts';
import { canPin, pinSelf } from './lib/proc.ts';
import { versusBare } from './lib/versus-bare.ts';

const duration = option('duration', 10);
const rounds = option('rounds', 2);
const connections = option('connections', 10);
const profileDir = process.argv.includes('--profile') ? join(tmpdir(), 'appointments-bench-profiles') : undefined;
const DAY = 86_400_000;

console.log(`# Slots endpoint vs bare node:http — ${machineFacts()}`);
pinSelf(1);
const api = await startApi({ cpu: 0, ...(profileDir && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }) });
try {
  // Next Monday at least two days ahead, and the week from it.
  let monday = new Date(Math.floor(Date.now() / DAY) * DAY + 2 * DAY);
  while (monday.getUTCDay() !== 1) monday = new Date(monday.getTime() + DAY);
  const from = monday.toISOString().slice(0, 10);
  const to = new Date(monday.getTime() + 6 * DAY).toISOString().slice(0, 10);

  const admin = await login(api.url, ADMIN.email, ADMIN.password);
  const weekdays = [0, 1, 2, 3, 4].map((day_of_week) => ({ day_of_week, start_time: '09:00:00', end_time: '17:00:00' }));
  const [staffId] = await seedStaff(api.url, admin, 1, weekdays);
  const [client] = await seedClients(api.url, 1);
  // 10 bookings spread over the week: 2 a day at 10:00 and 14:30.
  for (let d = 0; d < 5; d++) {
    for (const [h, m] of [[10, 0], [14, 30]] as const) {
      const start = monday.getTime() + d * DAY + (h * 60 + m) * 60_000;
      await call(api.url, client!.token, 'POST', '/api/v1/appointments', { staff_id: staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + 3_600_000).toISOString() });
    }
  }

  const path = `/api/v1/availability/slots?staff_id=${staffId}&from=${from}&to=${to}&slot_duration=60`;
  const res = await fetch(`${api.url}${path}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`slots: ${res.status} ${bytes.toString()}`);
  const slots = (JSON.parse(bytes.toString()) as unknown[]).length;
  console.log(`GET ${path}: ${slots} slots, ${bytes.length} bytes; ${connections} connections, ${rounds} × ${duration} s each, alternating${canPin ? '; servers on CPU 0, autocannon on CPU 1' : ''}`);
  await versusBare({ api, path, bytes, label: 'API: /availability/slots', goal: 0.5, connections, rounds, duration });
} finally {
  await api.stop();
}

/**
 * Slots-by-service benchmark, run on demand: `pnpm bench:any-staff` (options: --duration 10
 * --rounds 2 --connections 10 --staff 100 --bookings 20 --profile; with --profile the API writes a
 * CPU profile to the OS temp directory's appointments-bench-profiles on exit).
 *
 * A service offered by 100 staff members (Mon–Fri 09–17, UTC), each with 20 bookings in the week;
 * GET /api/v1/availability/slots?service_id=…&from=…&to=… for 7 days with no staff_id: every slot
 * with the staff_ids offering it. The API runs as deployed (`node apps/api/src/main.ts`, SQLite,
 * LOG_LEVEL=warn) in its own process; the ceiling is a bare `node:http` server returning the very
 * same bytes, also in its own process, measured alternately as in http.bench.ts. Project goal:
 * ≥ 0.25 of the ceiling. Also reported: the answer's latency when a change to one staff member
 * (as a booking makes) has just made it stale: theirs read and computed again, merged with the others' kept lists.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, call, login, seedClients, seedStaff, startApi } from './lib/api.ts';
import { fmtMs } from './lib/load.ts';
import { machineFacts, median, option } from './lib/machine.ts';
import { canPin, pinSelf } from './lib/proc.ts';
import { rng } from './lib/random.ts';
import { versusBare } from './lib/versus-bare.ts';

const duration = option('duration', 10);
const rounds = option('rounds', 2);
const connections = option('connections', 10);
const staffCount = option('staff', 100);
const bookingsEach = option('bookings', 20);
const profileDir = process.argv.includes('--profile') ? join(tmpdir(), 'appointments-bench-profiles') : undefined;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const GOAL = 0.25;

// Every run books the same hours.
const random = rng(7);

console.log(`# Slots by service, any staff member, vs bare node:http — ${machineFacts()}`);
pinSelf(1);
const api = await startApi({ cpu: 0, ...(profileDir && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }) });
try {
  let monday = new Date(Math.floor(Date.now() / DAY) * DAY + 2 * DAY);
  while (monday.getUTCDay() !== 1) monday = new Date(monday.getTime() + DAY);
  const from = monday.toISOString().slice(0, 10);
  const to = new Date(monday.getTime() + 6 * DAY).toISOString().slice(0, 10);

  const admin = await login(api.url, ADMIN.email, ADMIN.password);
  const weekdays = [0, 1, 2, 3, 4].map((day_of_week) => ({ day_of_week, start_time: '09:00:00', end_time: '17:00:00' }));
  const staffIds = await seedStaff(api.url, admin, staffCount, weekdays);
  const service = await call<{ id: number }>(api.url, admin, 'POST', '/api/v1/services', { name: 'Consultation', duration_minutes: 60, currency: 'EUR', price_cents: 5000, staff_ids: staffIds });
  const [client] = await seedClients(api.url, 1);
  // Each staff member's bookings on distinct hours of the week's 40, picked at random.
  const hours = Array.from({ length: 40 }, (_, i) => monday.getTime() + Math.floor(i / 8) * DAY + (9 + (i % 8)) * HOUR);
  for (const staffId of staffIds) {
    const picked = [...hours].sort(() => random() - 0.5).slice(0, bookingsEach);
    for (const start of picked) {
      await call(api.url, admin, 'POST', '/api/v1/appointments', {
        staff_id: staffId,
        client_id: client!.id,
        allow_client_overlap: true,
        start_time: new Date(start).toISOString(),
        end_time: new Date(start + HOUR).toISOString(),
      });
    }
  }

  const path = `/api/v1/availability/slots?service_id=${service.id}&from=${from}&to=${to}`;
  const res = await fetch(`${api.url}${path}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`slots: ${res.status} ${bytes.toString()}`);
  const slots = JSON.parse(bytes.toString()) as { staff_ids: number[] }[];
  const offers = slots.reduce((sum, slot) => sum + slot.staff_ids.length, 0);

  // A stale answer: one staff member's settings change (their schedule version moves, as with a booking), then the same query.
  const stale: number[] = [];
  for (let i = 0; i < 20; i++) {
    await call(api.url, admin, 'PATCH', `/api/v1/staff/${staffIds[i % staffIds.length]}/settings`, { min_notice_minutes: i % 2 === 0 ? 1 : null });
    const t0 = performance.now();
    const again = await fetch(`${api.url}${path}`);
    await again.arrayBuffer();
    stale.push(performance.now() - t0);
  }

  console.log(
    `GET ${path}: ${staffCount} staff × ${bookingsEach} bookings, ${slots.length} slots offering ${offers} staff-slots, ${bytes.length} bytes; ` +
      `${connections} connections, ${rounds} × ${duration} s each, alternating${canPin ? '; servers on CPU 0, autocannon on CPU 1' : ''}`,
  );
  console.log(`stale answer after one staff member's change (one request at a time), median of ${stale.length}: ${fmtMs(median(stale))}`);
  await versusBare({ api, path, bytes, label: 'API: slots by service', goal: GOAL, connections, rounds, duration });
} finally {
  await api.stop();
}

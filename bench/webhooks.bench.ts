/**
 * Webhook burst benchmark, run on demand: `pnpm bench:webhooks` (options: --bookings 1000
 * --endpoints 3 --workers 1 --connections 10 --timeout 300).
 *
 * On a throwaway PostgreSQL database, the API and worker processes as deployed, and a receiver in
 * this process that verifies every request's signature with the `standardwebhooks` package and
 * counts requests per endpoint and `webhook-id`. Two bursts of bookings side by side: first with no
 * endpoint subscribed, then with `endpoints` subscribed to appointment.created. Reports the API's
 * CPU per booking in each (their ratio: what subscribing costs a booking), and for the second the
 * time from its first booking until every delivery arrived, with missing, duplicates and bad
 * signatures. Project goal: 1,000 bookings × 3 endpoints = 3,000 signed requests, none lost, none
 * duplicated (outside a crash window, and nothing crashes here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver } from '@appointments/testkit/webhooks';
import { sinkMailEnv } from '@appointments/testkit/smtp';
import { ADMIN, call, login, SECRET_KEY, seedClients, seedStaff, startApi, type BenchApi } from './lib/api.ts';
import { cpuSeconds } from './lib/cpu.ts';
import { machineFacts, option, verdict } from './lib/machine.ts';
import { throwawayDatabase } from './lib/pg.ts';
import { spawnNode, WORKER_MAIN, type NodeProcess } from './lib/proc.ts';
import { startCountingSink } from './lib/sink.ts';

const bookings = option('bookings', 1000);
const endpoints = option('endpoints', 3);
const workerCount = option('workers', 1);
const connections = option('connections', 10);
const timeoutSeconds = option('timeout', 300);
const STAFF = 20;
const MIN = 60_000;
const DAY = 86_400_000;

console.log(`# Webhook burst — ${machineFacts()}`);
const database = await throwawayDatabase();
const sink = await startCountingSink();
const receiver = await startWebhookReceiver();
const dataDir = mkdtempSync(join(tmpdir(), 'appointments-bench-webhooks-'));
const allowPrivate = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };
let api: BenchApi | undefined;
const workers: NodeProcess[] = [];
try {
  api = await startApi({ databaseUrl: database.url, env: allowPrivate });
  const { url } = api;
  const admin = await login(url, ADMIN.email, ADMIN.password);
  const weekly = [0, 1, 2, 3, 4, 5, 6].map((day_of_week) => ({ day_of_week, start_time: '00:00:00', end_time: '24:00:00' }));
  const staffIds = await seedStaff(url, admin, STAFF, weekly);
  const clients = await seedClients(url, STAFF);
  for (let i = 0; i < workerCount; i++) {
    workers.push(spawnNode(WORKER_MAIN, [], { NODE_ENV: 'production', SECRET_KEY, LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: database.url, WORKER_PORT: '0', ...sinkMailEnv(sink.port), ...allowPrivate }, { cwd: dataDir }));
  }

  /** `bookings` distinct free slots from `day` on, `connections` at a time: the API's CPU seconds and the wall time they took. */
  const burst = async (day: number) => {
    const base = Math.ceil(Date.now() / DAY) * DAY + day * DAY;
    let next = 0;
    let failed = 0;
    const cpuBefore = cpuSeconds(api!.process.child.pid!);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = next++; i < bookings; i = next++) {
          const start = base + Math.floor(i / STAFF) * 30 * MIN;
          const res = await fetch(`${url}/api/v1/appointments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${clients[i % STAFF]!.token}` },
            body: JSON.stringify({ staff_id: staffIds[i % STAFF], start_time: new Date(start).toISOString(), end_time: new Date(start + 30 * MIN).toISOString() }),
          });
          await res.arrayBuffer();
          if (res.status !== 201) failed++;
        }
      }),
    );
    return { cpu: cpuSeconds(api!.process.child.pid!) - cpuBefore, seconds: (performance.now() - started) / 1000, failed, started: Date.now() - (performance.now() - started) };
  };

  await burst(1); // warm-up: the API's code paths compiled before either burst is measured
  const bare = await burst(3);
  const secrets = new Map<string, Webhook>();
  for (let i = 0; i < endpoints; i++) {
    const created = await call<{ secret: string }>(url, admin, 'POST', '/api/v1/webhooks', { url: `${receiver.url}/e${i}`, events: ['appointment.created'] });
    secrets.set(`/e${i}`, new Webhook(created.secret));
  }
  // The fan-out only sends what happened after an endpoint existed: the first burst's changes never reach it.
  const subscribed = await burst(5);
  const expected = bookings * endpoints;
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (receiver.requests.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const lastAt = Math.max(...receiver.requests.map((r) => r.at));
  // Late duplicates would arrive after the last expected one.
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  let badSignatures = 0;
  const seen = new Map<string, number>();
  for (const request of receiver.requests) {
    try {
      secrets.get(request.path)!.verify(request.body, request.headers);
    } catch {
      badSignatures++;
    }
    const key = `${request.path} ${request.headers['webhook-id']}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  const missing = expected - seen.size;
  const perBooking = (b: { cpu: number }) => (b.cpu * 1000) / bookings;
  console.log(`API CPU per booking: ${perBooking(bare).toFixed(2)} ms with no endpoint, ${perBooking(subscribed).toFixed(2)} ms with ${endpoints} subscribed: ratio ${(perBooking(subscribed) / perBooking(bare)).toFixed(3)} (refused bookings: ${bare.failed}, ${subscribed.failed})`);
  console.log(`burst of ${bookings} bookings in ${subscribed.seconds.toFixed(1)} s; all ${expected} deliveries in ${((lastAt - subscribed.started) / 1000).toFixed(1)} s from its first booking`);
  console.log(`received ${receiver.requests.length} requests, ${seen.size} distinct: ${missing} missing, ${duplicates} duplicates, ${badSignatures} bad signatures`);
  console.log(`goal: every delivery, once, signed: ${missing === 0 && duplicates === 0 && badSignatures === 0 && bare.failed + subscribed.failed === 0 ? 'MET' : 'MISSED'}; subscribing costs a booking nothing: ${verdict(perBooking(subscribed) / perBooking(bare), '<', 1.1)}`);
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.stop();
  await receiver.close();
  await sink.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

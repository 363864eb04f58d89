/**
 * Reminder drain benchmark, run on demand: `pnpm bench:reminders` (options: --reminders 10000
 * --workers 2 --concurrency <NOTIFY_CONCURRENCY, default the worker's> --timeout 600 --profile).
 *
 * A throwaway PostgreSQL database (data and queue: two workers need a shared queue), migrated and
 * seeded through the repositories: appointments at distinct times, each with its two reminders
 * (client and staff) recorded in the outbox, all due now. Then worker processes start
 * (`node apps/worker/src/main.ts`, as deployed) and send into a local SMTP sink in this process,
 * which counts deliveries per X-Notification-Id. Reports time to drain, duplicates and missing.
 * Project goal: 10,000 reminders through 2 workers in < 60 s, none twice, none missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@appointments/db';
import { SECRET_KEY } from './lib/api.ts';
import { cpuSeconds } from './lib/cpu.ts';
import { machineFacts, option, verdict } from './lib/machine.ts';
import { throwawayDatabase } from './lib/pg.ts';
import { spawnNode, WORKER_MAIN, type NodeProcess } from './lib/proc.ts';
import { startCountingSink } from './lib/sink.ts';
import { sinkMailEnv } from '@appointments/testkit/smtp';

const reminders = option('reminders', 10_000);
const workerCount = option('workers', 2);
const concurrency = option('concurrency', 0);
const timeoutSeconds = option('timeout', 600);
const profile = process.argv.includes('--profile');
const STAFF = 10;
const CLIENTS = 100;
const MIN = 60_000;

console.log(`# Reminder drain — ${machineFacts()}`);
const database = await throwawayDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'appointments-bench-reminders-'));
const sink = await startCountingSink();
const workers: NodeProcess[] = [];
try {
  // Seed: staff and clients, then appointments (30 minutes each, back to back per staff member,
  // from tomorrow) and their reminders, due now.
  const seedStart = performance.now();
  const db = await Database.open({ dialect: 'postgresql', url: database.url });
  const staffIds: number[] = [];
  const clientIds: number[] = [];
  await db.transaction(async (repos) => {
    for (let i = 0; i < STAFF; i++) staffIds.push((await repos.users.create({ email: `staff${i}@example.com`, fullName: `Staff ${i}`, role: 'staff', passwordHash: 'x', timezone: 'Europe/Berlin' })).id);
    for (let i = 0; i < CLIENTS; i++) clientIds.push((await repos.users.create({ email: `client${i}@example.com`, fullName: `Client ${i}`, role: 'client', passwordHash: 'x', timezone: 'UTC' })).id);
  });
  const appointments = Math.ceil(reminders / 2);
  const base = Math.ceil(Date.now() / (30 * MIN)) * 30 * MIN + 24 * 60 * MIN;
  const now = Date.now();
  const BATCH = 500;
  for (let from = 0; from < appointments; from += BATCH) {
    await db.transaction(async (repos) => {
      for (let i = from; i < Math.min(appointments, from + BATCH); i++) {
        const start = base + Math.floor(i / STAFF) * 30 * MIN;
        const end = start + 30 * MIN;
        const clientId = clientIds[i % CLIENTS]!;
        const appointment = await repos.appointments.create({ clientId, staffId: staffIds[i % STAFF]!, start, end, bufferedStart: start, bufferedEnd: end, notes: null });
        // Both parties when the count is even; the last appointment reminds only the client when it is odd.
        const recipients = i * 2 + 1 < reminders ? [clientId, appointment.staffId] : [clientId];
        await repos.notifications.record(
          appointment.id,
          // The worker's default lead time, so its sweep finds nothing missing.
          recipients.map((recipientId) => ({ kind: 'reminder' as const, recipientId, sequence: 0, dueAt: now, leadMinutes: 1440, details: {} })),
        );
      }
    });
  }
  const pending = await db.fork().notifications.count({ status: 'pending' });
  console.log(`seeded ${appointments} appointments and ${pending} due reminders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  await db.close();

  const env: Record<string, string> = {
    NODE_ENV: 'production',
    // No API runs here: any key will do, but production needs one.
    SECRET_KEY,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    ...sinkMailEnv(sink.port),
    WORKER_PORT: '0',
    ...(concurrency > 0 && { NOTIFY_CONCURRENCY: String(concurrency) }),
  };
  console.log(`${workerCount} worker processes, NOTIFY_CONCURRENCY=${concurrency || 'default'}, sink in this process${profile ? `, CPU profiles in ${join(tmpdir(), 'appointments-bench-profiles')}` : ''}`);
  const started = performance.now();
  const sinkCpuBefore = process.cpuUsage();
  for (let i = 0; i < workerCount; i++) {
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(tmpdir(), 'appointments-bench-profiles')}`] : [];
    workers.push(spawnNode(WORKER_MAIN, [], env, { nodeArgs, cwd: dataDir }));
  }
  const progress = setInterval(() => console.log(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s: ${sink.deliveries.size} delivered`), 10_000);
  let drained = true;
  try {
    await sink.waitForDistinct(pending, timeoutSeconds * 1000);
  } catch (error) {
    drained = false;
    console.log(String(error));
  } finally {
    clearInterval(progress);
  }
  const drainSeconds = (performance.now() - started) / 1000;
  const firstToLast = ((sink.last.at ?? 0) - (sink.first.at ?? 0)) / 1000;
  // CPU time per email (robust to a busy machine, unlike the wall clock): the workers', and this process's (the sink).
  const workerCpu = workers.map((w) => cpuSeconds(w.child.pid!));
  const sinkCpu = process.cpuUsage(sinkCpuBefore);
  // Late duplicates (a job retried after its email went out) would arrive after the drain.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const codes = await Promise.all(workers.map((w) => w.stop()));

  const check = await Database.open({ dialect: 'postgresql', url: database.url }, { migrate: false });
  const sent = await check.fork().notifications.count({ status: 'sent' });
  await check.close();
  const duplicates = [...sink.deliveries.values()].reduce((n, c) => n + (c - 1), 0);
  const missing = pending - sink.deliveries.size;
  console.log(`time to drain ${pending} reminders: ${drainSeconds.toFixed(1)} s from spawning the workers (${firstToLast.toFixed(1)} s first to last email, ${(sink.deliveries.size / firstToLast).toFixed(0)} emails/s)`);
  console.log(`delivered ${sink.deliveries.size} distinct, ${sink.total()} messages: ${duplicates} duplicates, ${missing} missing; outbox rows marked sent: ${sent}; worker exit codes ${codes.join(', ')}`);
  const perEmail = (seconds: number) => ((seconds * 1000) / Math.max(1, sink.deliveries.size)).toFixed(2);
  console.log(
    `CPU per email: workers ${perEmail(workerCpu.reduce((a, b) => a + b, 0))} ms (${workerCpu.map((c) => `${c.toFixed(1)} s`).join(' + ')}, start-up included), sink ${perEmail((sinkCpu.user + sinkCpu.system) / 1e6)} ms; PostgreSQL not counted`,
  );
  console.log(`goal < 60 s, no duplicates, none missing: ${drained && duplicates === 0 && missing === 0 ? verdict(drainSeconds, '<', 60) : 'MISSED'}`);
  for (const [i, w] of workers.entries()) {
    const problems = w.lines.filter((l) => typeof l.level === 'number' && l.level >= 40);
    if (problems.length) console.log(`worker ${i}: ${problems.length} warnings/errors, first: ${JSON.stringify(problems[0])}`);
  }
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await sink.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

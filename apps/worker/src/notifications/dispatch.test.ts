import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planNotifications } from '@appointments/domain';
import { Database } from '@appointments/db';
import { sqliteTestTarget, type TestTarget } from '@appointments/testkit/db';
import { openQueue, type Queue } from '../queue/boss.ts';
import { LOOKAHEAD_MS, processChanges, REQUEUE_AFTER_MS, relayPending, sweep } from './dispatch.ts';

const HOUR = 3_600_000;
const SETTINGS = { reminderLeadMinutes: [24 * 60] };
const silent = pino({ level: 'silent' });

describe('outbox relay and sweep (SQLite data, PGlite queue)', () => {
  let target: TestTarget;
  let db: Database;
  let queueDir: string;
  let queue: Queue;
  let clientId: number;
  let staffId: number;
  let slot = 0;
  const open = (dir: string) => openQueue({ target: { kind: 'pglite', dir }, retryLimit: 1, retryDelaySeconds: 1, jobTimeoutSeconds: 5, logger: silent });

  beforeAll(async () => {
    target = sqliteTestTarget();
    db = await Database.open(target.target);
    queueDir = mkdtempSync(join(tmpdir(), 'appointments-queue-'));
    queue = await open(queueDir);
    const users = db.fork().users;
    clientId = (await users.create({ email: 'c@example.com', fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
    staffId = (await users.create({ email: 's@example.com', fullName: 'S', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  }, 60_000);
  afterAll(async () => {
    await queue?.stop(1000);
    await db?.close();
    await target?.drop();
    rmSync(queueDir, { recursive: true, force: true });
  });

  /** An appointment written straight to the table, as before notifications existed: no outbox rows. */
  const bare = async (startsIn: number) => {
    const start = Date.now() + startsIn + ++slot * 2 * HOUR;
    const end = start + HOUR;
    return db.fork().appointments.create({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes: null });
  };
  const rowsOf = async (appointmentId: number) => (await db.fork().notifications.list({ appointmentId, offset: 0, limit: 50 })).items;

  it('the sweep records the reminders that should exist and do not, once', async () => {
    const old = await bare(72 * HOUR);
    const soon = await bare(0); // starts within the day: its reminder time has passed, so none
    const first = await sweep(db, queue, SETTINGS, new Date(), silent);
    expect(first.remindersCreated).toBeGreaterThanOrEqual(2);
    const reminders = await rowsOf(old.id);
    expect(reminders.map((r) => [r.kind, r.status, r.dueAt])).toEqual([
      ['reminder', 'pending', old.start - 24 * HOUR],
      ['reminder', 'pending', old.start - 24 * HOUR],
    ]);
    expect(await rowsOf(soon.id)).toEqual([]);
    expect((await sweep(db, queue, SETTINGS, new Date(), silent)).remindersCreated).toBe(0);
  });

  it('the sweep leaves an appointment with a change still to process alone: one reminder per party, carried over', async () => {
    const now = new Date();
    const start = now.getTime() + 72 * HOUR + ++slot * 2 * HOUR;
    const end = start + HOUR;
    const booked = await db.fork().appointments.book({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes: null, actorId: clientId, actorApiKeyId: null, at: now.getTime() });
    await processChanges(db, SETTINGS);
    // Notes change the version; the worker has not processed that change yet when the sweep runs.
    await db.transaction(async (tx) => {
      const noted = (await tx.appointments.transition(booked, { notes: 'Bring the forms', sequence: 1 }))!;
      await tx.appointmentChanges.record({ appointmentId: booked.id, sequence: 1, start: noted.start, state: noted, change: { kind: 'updated' }, at: now.getTime() });
    });
    await sweep(db, queue, SETTINGS, now, silent);
    expect(await processChanges(db, SETTINGS)).toBe(1);
    const reminders = (await rowsOf(booked.id)).filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => [r.sequence, r.status, r.dueAt])).toEqual([
      [1, 'pending', start - 24 * HOUR],
      [1, 'pending', start - 24 * HOUR],
    ]);
    expect((await sweep(db, queue, SETTINGS, now, silent)).remindersCreated).toBe(0);
  });

  it('the relay queues what is due within the lookahead and leaves later rows in the outbox', async () => {
    const now = new Date();
    const a = await bare(3 * HOUR); // inside the lead time: confirmations only
    const b = await bare(LOOKAHEAD_MS + 30 * HOUR); // its reminders fall due after the lookahead
    for (const appointment of [a, b]) {
      await db.fork().notifications.record(appointment.id, planNotifications(appointment, { kind: 'booked' }, SETTINGS.reminderLeadMinutes, now.getTime()));
    }
    expect(await relayPending(db, queue, now)).toBeGreaterThanOrEqual(4);
    const statuses = async (id: number) => (await rowsOf(id)).map((r) => `${r.kind}:${r.status}`).sort();
    expect(await statuses(a.id)).toEqual(['confirmation:queued', 'confirmation:queued']);
    expect(await statuses(b.id)).toEqual(['confirmation:queued', 'confirmation:queued', 'reminder:pending', 'reminder:pending']);
    expect(await relayPending(db, queue, now)).toBe(0);
  });

  it('re-sends the jobs of long-queued rows only when the queue has lost them', async () => {
    const now = new Date();
    const c = await bare(5 * HOUR);
    await db.fork().notifications.record(c.id, planNotifications(c, { kind: 'booked' }, SETTINGS.reminderLeadMinutes, now.getTime()));
    await relayPending(db, queue, now);
    const later = new Date(now.getTime() + REQUEUE_AFTER_MS + 1000);
    // The jobs are still there (nobody works this queue): their keys refuse a second copy.
    expect((await sweep(db, queue, SETTINGS, later, silent)).jobsRecreated).toBe(0);
    // A queue that lost everything (a fresh PGlite): the sweep puts the jobs back.
    await queue.stop(1000);
    rmSync(queueDir, { recursive: true, force: true });
    queueDir = mkdtempSync(join(tmpdir(), 'appointments-queue-'));
    queue = await open(queueDir);
    const evenLater = new Date(later.getTime() + REQUEUE_AFTER_MS + 1000);
    const { jobsRecreated } = await sweep(db, queue, SETTINGS, evenLater, silent);
    expect(jobsRecreated).toBeGreaterThanOrEqual(2);
    expect((await rowsOf(c.id)).every((r) => r.status === 'queued' && r.queuedAt === evenLater.getTime())).toBe(true);
  }, 60_000);
});

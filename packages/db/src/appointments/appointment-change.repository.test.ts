import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import type { Appointment, AppointmentChange } from '@appointments/domain';
import { testTargets, type TestTarget } from '@appointments/testkit/db';
import { Database, ormOptions } from '../database.ts';
import type { AppointmentChanges } from './appointment.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
const LEAD = { reminderLeadMs: 24 * HOUR };

describe.each(Object.entries(testTargets))('the outbox of changes on %s', (engine, makeTarget) => {
  let target: TestTarget;
  let db: Database;
  /** A second handle on the same database, for what only a crash or a hand-run fix would do. */
  let raw: MikroORM;
  let clientId: number;
  let staffId: number;
  let slot = 0;
  beforeAll(async () => {
    target = await makeTarget();
    db = await Database.open(target.target);
    raw = await MikroORM.init(ormOptions(target.target));
    const users = db.fork().users;
    clientId = (await users.create({ email: 'c@example.com', fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
    staffId = (await users.create({ email: 's@example.com', fullName: 'S', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  });
  afterAll(async () => {
    await raw?.close(true);
    await db?.close();
    await target?.drop();
  });

  /** Booked now (NOW), days ahead, each in its own hours: its change is recorded, not yet processed. */
  const book = () => {
    const start = NOW + 72 * HOUR + ++slot * 3 * HOUR;
    const end = start + HOUR;
    return db.fork().appointments.book({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes: null, actorId: clientId, actorApiKeyId: null, at: NOW });
  };
  /** As the API changes one: the conditional update and its change, in one transaction. */
  const change = (current: Appointment, changes: AppointmentChanges, what: AppointmentChange) =>
    db.transaction(async (tx) => {
      const updated = (await tx.appointments.transition(current, { ...changes, sequence: current.sequence + 1 }))!;
      await tx.appointmentChanges.record({ appointmentId: current.id, sequence: updated.sequence, start: updated.start, state: updated, change: what, at: NOW });
      return updated;
    });
  /** A move an hour later, buffered interval and all. */
  const later = (a: Appointment): AppointmentChanges => {
    const shift = (instant: number) => instant + HOUR;
    return { start: shift(a.start), end: shift(a.end), bufferedStart: shift(a.bufferedStart), bufferedEnd: shift(a.bufferedEnd) };
  };
  const process = (limit = 1000) => db.fork().appointmentChanges.processPending(LEAD, limit);
  const rowsOf = async (appointmentId: number) => (await db.fork().notifications.list({ appointmentId, offset: 0, limit: 50 })).items;
  const outbox = async (appointmentId: number) => (await rowsOf(appointmentId)).map((n) => `${n.kind}/${n.sequence}/${n.recipientId === clientId ? 'client' : 'staff'}:${n.status}`).sort();
  const changesOf = async (appointmentId: number) => (await db.fork().appointmentChanges.list({ appointmentId, offset: 0, limit: 50 })).items;
  const booked = ['confirmation/0/client:pending', 'confirmation/0/staff:pending', 'reminder/0/client:pending', 'reminder/0/staff:pending'];

  it('records a change with what its emails need, and turns it into them once, marking it processed', async () => {
    const appointment = await book();
    const moved = await change(appointment, later(appointment), {
      kind: 'rescheduled',
      previousStart: appointment.start,
      previousEnd: appointment.end,
      reason: 'Clash',
    });
    expect((await changesOf(appointment.id)).map((c) => [c.sequence, c.change, c.start, c.processedAt])).toEqual([
      [0, { kind: 'booked' }, appointment.start, null],
      [1, { kind: 'rescheduled', previousStart: appointment.start, previousEnd: appointment.end, reason: 'Clash' }, moved.start, null],
    ]);
    await process();
    expect((await changesOf(appointment.id)).every((c) => c.processedAt !== null)).toBe(true);
    const notice = (await rowsOf(appointment.id)).find((n) => n.kind === 'reschedule' && n.recipientId === clientId);
    expect(notice).toMatchObject({ sequence: 1, dueAt: NOW, details: { previousStart: appointment.start, previousEnd: appointment.end, reason: 'Clash' } });
    expect((await rowsOf(appointment.id)).filter((n) => n.kind === 'reminder' && n.sequence === 1).map((n) => n.dueAt)).toEqual([
      moved.start - LEAD.reminderLeadMs,
      moved.start - LEAD.reminderLeadMs,
    ]);
    const before = await rowsOf(appointment.id);
    expect(await process()).toBe(0);
    expect(await rowsOf(appointment.id)).toEqual(before);
  });

  it('a change that tells someone drops unsent rows of older versions and keeps sent ones', async () => {
    const appointment = await book();
    await process();
    const confirmation = (await rowsOf(appointment.id)).find((r) => r.kind === 'confirmation')!;
    await db.fork().notifications.markSent(confirmation.id, new Date(NOW), null);
    await change(appointment, later(appointment), {
      kind: 'rescheduled',
      previousStart: NOW,
      previousEnd: NOW + HOUR,
      reason: null,
    });
    await process();
    const after = new Map((await rowsOf(appointment.id)).map((r) => [`${r.kind}/${r.sequence}:${r.recipientId}`, r]));
    expect(after.get(`confirmation/0:${confirmation.recipientId}`)!.status).toBe('sent');
    expect([...after.values()].filter((r) => r.sequence === 0 && r.status === 'dropped')).toHaveLength(3);
    expect(after.get(`reminder/0:${clientId}`)).toMatchObject({ status: 'dropped', lastError: 'superseded by sequence 1' });
    expect(after.get(`reschedule/1:${clientId}`)).toMatchObject({ status: 'pending', details: { previousStart: NOW, previousEnd: NOW + HOUR, reason: null } });
  });

  it('a change that tells nobody carries what the version before recorded, sent or not, over to its own', async () => {
    const appointment = await book();
    await process();
    const sent = (await rowsOf(appointment.id)).find((r) => r.kind === 'confirmation')!;
    await db.fork().notifications.markSent(sent.id, new Date(NOW), null);
    const before = (await rowsOf(appointment.id)).map((r) => [r.id, r.status]);
    expect(before.filter(([, status]) => status === 'sent')).toHaveLength(1);
    const noted = await change(appointment, { notes: 'Bring the forms' }, { kind: 'updated' });
    await change(noted, { status: 'completed' }, { kind: 'completed' });
    await process();
    expect((await rowsOf(appointment.id)).map((r) => [r.id, r.sequence, r.status])).toEqual(before.map(([id, status]) => [id, 2, status]));
  });

  it('a crash before the commit leaves neither the emails nor the mark; processed again, each email is recorded once', async () => {
    const appointment = await book();
    await expect(
      db.transaction(async (tx) => {
        expect(await tx.appointmentChanges.processPending(LEAD, 1000)).toBeGreaterThanOrEqual(1);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await rowsOf(appointment.id)).toEqual([]);
    expect((await changesOf(appointment.id))[0]!.processedAt).toBeNull();

    await process();
    const first = await rowsOf(appointment.id);
    expect(await outbox(appointment.id)).toEqual(booked);
    // Its mark lost after the emails were recorded (a hand-run fix, a restore): processing it again adds nothing.
    const [recorded] = await changesOf(appointment.id);
    await raw.em.getConnection().execute('update appointment_changes set processed_at = null where id = ?', [recorded!.id]);
    expect(await process()).toBe(1);
    expect(await rowsOf(appointment.id)).toEqual(first);
    expect((await changesOf(appointment.id))[0]!.processedAt).not.toBeNull();
  });

  it.runIf(engine === 'postgresql')("two processors at once take disjoint changes, and an appointment's in order", async () => {
    await process(); // nothing older left: the first processor below takes the first booking's change
    const first = await book();
    await change(first, { status: 'cancelled' }, { kind: 'cancelled', by: { id: staffId, name: 'S', role: 'staff' }, reason: null });
    const second = await book();
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // One change, held (uncommitted) while the other processor runs.
    const holding = db.transaction(async (tx) => {
      expect(await tx.appointmentChanges.processPending(LEAD, 1)).toBe(1);
      entered();
      await gate;
    });
    await inside;
    // The other takes the second booking's, not the first one's held booking nor, before it, its cancellation.
    expect(await process()).toBe(1);
    expect(await outbox(second.id)).toEqual(booked);
    expect((await changesOf(first.id)).map((c) => c.processedAt)).toEqual([null, null]);
    release();
    await holding;
    expect(await process()).toBe(1);
    expect(await outbox(first.id)).toEqual([
      'cancellation/1/client:pending',
      'cancellation/1/staff:pending',
      'confirmation/0/client:dropped',
      'confirmation/0/staff:dropped',
      'reminder/0/client:dropped',
      'reminder/0/staff:dropped',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Appointment } from '@appointments/domain';
import { testTargets } from '@appointments/testkit/db';
import { OutboxFixture } from './outbox.fixture.ts';
import type { AppointmentChanges } from './appointment.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
const LEAD = { reminderLeadMinutes: [24 * 60] };

describe.each(Object.entries(testTargets))('the outbox of changes on %s', (engine, makeTarget) => {
  const f = new OutboxFixture(makeTarget, NOW);
  /** A move an hour later, buffered interval and all. */
  const later = (a: Appointment): AppointmentChanges => {
    const shift = (instant: number) => instant + HOUR;
    return { start: shift(a.start), end: shift(a.end), bufferedStart: shift(a.bufferedStart), bufferedEnd: shift(a.bufferedEnd) };
  };
  const process = (limit = 1000) => f.db.fork().appointmentChanges.processPending(LEAD, limit);
  const rowsOf = async (appointmentId: number) => (await f.db.fork().notifications.list({ appointmentId, offset: 0, limit: 50 })).items;
  const outbox = async (appointmentId: number) => (await rowsOf(appointmentId)).map((n) => `${n.kind}/${n.sequence}/${n.recipientId === f.clientId ? 'client' : 'staff'}:${n.status}`).sort();
  const changesOf = async (appointmentId: number) => (await f.db.fork().appointmentChanges.list({ appointmentId, offset: 0, limit: 50 })).items;
  const booked = ['confirmation/0/client:pending', 'confirmation/0/staff:pending', 'reminder/0/client:pending', 'reminder/0/staff:pending'];

  it('records a change with what its emails need, and turns it into them once, marking it processed', async () => {
    const appointment = await f.book();
    const moved = await f.change(appointment, later(appointment), {
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
    const notice = (await rowsOf(appointment.id)).find((n) => n.kind === 'reschedule' && n.recipientId === f.clientId);
    expect(notice).toMatchObject({ sequence: 1, dueAt: NOW, details: { previousStart: appointment.start, previousEnd: appointment.end, reason: 'Clash' } });
    expect((await rowsOf(appointment.id)).filter((n) => n.kind === 'reminder' && n.sequence === 1).map((n) => n.dueAt)).toEqual([
      moved.start - 24 * HOUR,
      moved.start - 24 * HOUR,
    ]);
    const before = await rowsOf(appointment.id);
    expect(await process()).toBe(0);
    expect(await rowsOf(appointment.id)).toEqual(before);
  });

  it('a change that tells someone drops unsent rows of older versions and keeps sent ones', async () => {
    const appointment = await f.book();
    await process();
    const confirmation = (await rowsOf(appointment.id)).find((r) => r.kind === 'confirmation')!;
    await f.db.fork().notifications.markSent(confirmation.id, new Date(NOW), null);
    await f.change(appointment, later(appointment), {
      kind: 'rescheduled',
      previousStart: NOW,
      previousEnd: NOW + HOUR,
      reason: null,
    });
    await process();
    const after = new Map((await rowsOf(appointment.id)).map((r) => [`${r.kind}/${r.sequence}:${r.recipientId}`, r]));
    expect(after.get(`confirmation/0:${confirmation.recipientId}`)!.status).toBe('sent');
    expect([...after.values()].filter((r) => r.sequence === 0 && r.status === 'dropped')).toHaveLength(3);
    expect(after.get(`reminder/0:${f.clientId}`)).toMatchObject({ status: 'dropped', lastError: 'superseded by sequence 1' });
    expect(after.get(`reschedule/1:${f.clientId}`)).toMatchObject({ status: 'pending', details: { previousStart: NOW, previousEnd: NOW + HOUR, reason: null } });
  });

  it('a change that tells nobody carries what the version before recorded, sent or not, over to its own', async () => {
    const appointment = await f.book();
    await process();
    const sent = (await rowsOf(appointment.id)).find((r) => r.kind === 'confirmation')!;
    await f.db.fork().notifications.markSent(sent.id, new Date(NOW), null);
    const before = (await rowsOf(appointment.id)).map((r) => [r.id, r.status]);
    expect(before.filter(([, status]) => status === 'sent')).toHaveLength(1);
    const noted = await f.change(appointment, { notes: 'Bring the forms' }, { kind: 'updated' });
    await f.change(noted, { status: 'completed' }, { kind: 'completed' });
    await process();
    expect((await rowsOf(appointment.id)).map((r) => [r.id, r.sequence, r.status])).toEqual(before.map(([id, status]) => [id, 2, status]));
  });

  it('a crash before the commit leaves neither the emails nor the mark; processed again, each email is recorded once', async () => {
    const appointment = await f.book();
    await expect(
      f.db.transaction(async (tx) => {
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
    await f.raw.em.getConnection().execute('update appointment_changes set processed_at = null where id = ?', [recorded!.id]);
    expect(await process()).toBe(1);
    expect(await rowsOf(appointment.id)).toEqual(first);
    expect((await changesOf(appointment.id))[0]!.processedAt).not.toBeNull();
  });

  it.runIf(engine === 'postgresql')("two processors at once take disjoint changes, and an appointment's in order", async () => {
    await process(); // nothing older left: the first processor below takes the first booking's change
    const first = await f.book();
    await f.change(first, { status: 'cancelled' }, { kind: 'cancelled', by: { id: f.staffId, name: 'S', role: 'staff' }, reason: null });
    const second = await f.book();
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // One change, held (uncommitted) while the other processor runs.
    const holding = f.db.transaction(async (tx) => {
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

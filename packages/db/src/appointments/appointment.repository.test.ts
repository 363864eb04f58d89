import { beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { localDate, MAX_BUFFERED_SPAN_MS } from '@appointments/domain';
import { Database, ormOptions, type Repositories } from '../database.ts';
import { StaleSessionError } from '../sessions/session-guard.ts';
import { StaleSetupError } from './booking.ts';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-03-04T08:00:00.000Z');
const at = (hours: number) => T0 + hours * HOUR;

describe.each(Object.entries(testTargets))('appointments on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let clientId: number;
  let n = 0;
  beforeAll(async () => {
    clientId = (await database.db.fork().users.create({ email: 'client@example.com', fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
  });

  /** A fresh staff member per test, so tests never see each other's appointments. */
  const newStaff = async () =>
    (await database.db.fork().users.create({ email: `staff${++n}@example.com`, fullName: 'S', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  /**
   * A booking of [from, to) hours after T0 with no buffers (buffered interval = appointment). One
   * client books with every staff member, so these waive the client guard, which has tests of its own.
   */
  const booking = (staffId: number, from: number, to: number, notes: string | null = null) => ({
    clientId,
    staffId,
    start: at(from),
    end: at(to),
    bufferedStart: at(from),
    bufferedEnd: at(to),
    notes,
    clientOverlapAllowed: true,
  });
  const SLOT_TAKEN = { code: 'APPOINTMENT.SLOT_TAKEN' };

  it('creates an appointment and reads it back as plain data', async () => {
    const staffId = await newStaff();
    const data = { ...booking(staffId, 1, 2, 'first visit'), bufferedStart: at(0.75), bufferedEnd: at(2.5) };
    const created = await database.db.fork().appointments.create(data);
    expect(created).toEqual({
      id: expect.any(Number),
      clientId,
      staffId,
      start: data.start,
      end: data.end,
      bufferedStart: data.bufferedStart,
      bufferedEnd: data.bufferedEnd,
      notes: 'first visit',
      status: 'scheduled',
      sequence: 0,
      clientOverlapAllowed: true,
      serviceId: null,
      occurrence: null,
      localDate: localDate(data.start, 'UTC'),
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });
    // Reads name both parties (create()'s answer, for seeds and tests, does not).
    const named = { ...created, staffName: 'S', clientName: 'C' };
    expect(await database.db.fork().appointments.findById(created.id)).toEqual(named);
    expect((await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items).toEqual([named]);
    expect(await database.db.fork().appointments.findById(999_999)).toBeNull();
  });

  it('book writes the appointment, its booked entry and its change together, or none of them; the change becomes its emails', async () => {
    const staffId = await newStaff();
    const write = (from: number, to: number) => ({ ...booking(staffId, from, to, 'note'), actorId: clientId, actorApiKeyId: null, at: at(-1) });
    const booked = await database.db.fork().appointments.book(write(1, 2));
    expect(booked).toMatchObject({ staffName: 'S', clientName: 'C' }); // the answer names both parties, in the same write
    expect(await database.db.fork().appointments.findById(booked.id)).toEqual(booked);
    expect(await database.db.fork().appointmentEvents.listFor(booked.id)).toEqual([
      { id: expect.any(Number), appointmentId: booked.id, actorId: clientId, actorApiKeyId: null, at: at(-1), action: 'booked', fromStatus: null, toStatus: 'scheduled', fromStart: null, fromEnd: null, toStart: at(1), toEnd: at(2), reason: null, policyOverride: true },
    ]); // booking() waives the client guard, an override the history records
    // One change row, no notification rows: the worker turns the change into those.
    const outbox = (id: number) => database.db.fork().notifications.list({ appointmentId: id, offset: 0, limit: 10 });
    expect((await database.db.fork().appointmentChanges.list({ appointmentId: booked.id, offset: 0, limit: 10 })).items).toEqual([
      { id: expect.any(Number), appointmentId: booked.id, sequence: 0, start: at(1), change: { kind: 'booked' }, state: { staffId, end: at(2), status: 'scheduled', notes: booked.notes, updatedAt: booked.updatedAt }, at: at(-1), processedAt: null },
    ]);
    expect((await outbox(booked.id)).items).toEqual([]);
    await database.db.fork().appointmentChanges.processPending({ reminderLeadMinutes: [60] }, 1000);
    expect((await outbox(booked.id)).items.map((n) => [n.recipientId, n.kind, n.status, n.dueAt]).sort()).toEqual(
      [
        [clientId, 'confirmation', 'pending', at(-1)],
        [clientId, 'reminder', 'pending', at(0)],
        [staffId, 'confirmation', 'pending', at(-1)],
        [staffId, 'reminder', 'pending', at(0)],
      ].sort(),
    );

    await expect(database.db.fork().appointments.book(write(1.5, 3))).rejects.toMatchObject(SLOT_TAKEN);
    await expect(database.db.fork().appointments.book({ ...write(5, 6), clientId: 999_999 })).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
    const { items } = await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 });
    expect(items.map((a) => a.id)).toEqual([booked.id]);
    await database.db.fork().appointmentChanges.processPending({ reminderLeadMinutes: [60] }, 1000);
    expect((await database.db.fork().notifications.list({ offset: 0, limit: 1000 })).items.filter((n) => n.appointmentId !== booked.id && n.recipientId === staffId)).toEqual([]);
  });

  it('a booking checked against a setup version is written only while that version stands, all or nothing', async () => {
    const staffId = await newStaff();
    const { setupVersion } = await database.db.fork().appointments.bookingSetup(staffId);
    const write = (from: number, to: number, version: number) => ({
      ...booking(staffId, from, to),
      actorId: clientId, actorApiKeyId: null,
      at: at(-1),
      setupVersion: version,
    });
    const booked = await database.db.fork().appointments.book(write(1, 2, setupVersion));
    // A booking moves the schedule, not the setup: the same version still books.
    await database.db.fork().appointments.book(write(2, 3, setupVersion));

    const changeCount = () => database.db.fork().appointmentChanges.count();
    const changesBefore = await changeCount();
    await database.db.fork().staffSettings.update(staffId, { bufferBeforeMinutes: 5 });
    await expect(database.db.fork().appointments.book(write(3, 4, setupVersion))).rejects.toBeInstanceOf(StaleSetupError);
    // Nothing of the refused booking was written, in a transaction of the caller's too.
    await expect(database.db.transaction((repos) => repos.appointments.book(write(3, 4, setupVersion)))).rejects.toBeInstanceOf(StaleSetupError);
    const { items } = await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 });
    expect(items).toHaveLength(2);
    expect(await changeCount()).toBe(changesBefore);
    const current = (await database.db.fork().appointments.bookingSetup(staffId)).setupVersion;
    expect(current).toBeGreaterThan(setupVersion);
    expect((await database.db.fork().appointments.book(write(3, 4, current))).id).toBeGreaterThan(booked.id);
    // The overlap guard still has the last word under the version guard.
    await expect(database.db.fork().appointments.book(write(3.5, 5, current))).rejects.toMatchObject(SLOT_TAKEN);
  });

  it("a booking made while another request's transaction is open is its own: that one rolling back keeps it", async () => {
    const staffId = await newStaff();
    const write = { ...booking(staffId, 1, 2), actorId: clientId, actorApiKeyId: null, at: at(-1) };
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const other = database.db.transaction(async (tx) => {
      await tx.appointments.create(booking(staffId, 5, 6));
      open();
      await released;
      throw new Error('rolled back');
    });
    await opened;
    const booked = database.db.fork().appointments.book(write);
    release();
    await expect(other).rejects.toThrow('rolled back');
    const { id } = await booked;
    expect(await database.db.fork().appointments.findById(id)).toMatchObject({ staffId, start: at(1) });
    expect((await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length).toBe(1);
  });

  it("inside a caller's transaction a booking is all or nothing, and a finished transaction's repositories write nothing", async () => {
    const staffId = await newStaff();
    const write = (from: number, actorId = clientId) => ({ ...booking(staffId, from, from + 1), actorId, actorApiKeyId: null, at: at(-1) });
    const count = async () => (await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length;
    // The history entry fails (no such actor) after the appointment was inserted; the caller
    // carries on. (PostgreSQL then refuses to commit the aborted transaction.)
    await database.db
      .transaction(async (tx) => {
        await expect(tx.appointments.book(write(1, 999_999))).rejects.toThrow();
      })
      .catch(() => undefined);
    expect(await count()).toBe(0);

    let finished: Repositories | undefined;
    await database.db.transaction(async (tx) => {
      finished = tx;
    });
    await expect(finished!.appointments.book(write(2))).rejects.toThrow();
    expect(await count()).toBe(0);
  });

  it('a booking judged by a kept session is written only while the session stands and its user is as read', async () => {
    const staffId = await newStaff();
    const repos = database.db.fork();
    const user = (await repos.users.findById(clientId))!;
    const session = async (expiresAt = new Date(at(24 * 365))) => {
      const id = `guard-${++n}`;
      await database.db.fork().sessions.create({ id, userId: clientId, expiresAt });
      return id;
    };
    const write = (from: number, sessionId: string, asRead = user, setupVersion?: number) => ({
      ...booking(staffId, from, from + 1),
      actorId: clientId, actorApiKeyId: null,
      at: at(-1),
      session: { id: sessionId, user: asRead },
      ...(setupVersion !== undefined && { setupVersion }),
    });
    const count = async () => (await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length;
    const changeCount = () => database.db.fork().appointmentChanges.count();

    const live = await session();
    await database.db.fork().appointments.book(write(1, live));
    const { setupVersion } = await repos.appointments.bookingSetup(staffId);
    await database.db.fork().appointments.book(write(2, live, user, setupVersion));
    const changesBefore = await changeCount();
    const refused = async (booking: ReturnType<typeof write>, error: typeof StaleSessionError | typeof StaleSetupError = StaleSessionError) => {
      await expect(database.db.fork().appointments.book(booking)).rejects.toBeInstanceOf(error);
      await expect(database.db.transaction((tx) => tx.appointments.book(booking))).rejects.toBeInstanceOf(error);
    };
    // Revoked, expired, unknown: nothing is written.
    const revoked = await session();
    await database.db.fork().sessions.delete(revoked);
    await refused(write(3, revoked));
    await refused(write(3, await session(new Date(Date.now() - 1000))));
    await refused(write(3, 'no-such-session'));
    // Judged by a user who has since changed standing or role, or who is someone else.
    await refused(write(3, live, { ...user, isBlocked: true }));
    await refused(write(3, live, { ...user, role: 'staff' }));
    await refused(write(3, live, { ...user, isActive: false }));
    await refused(write(3, live, { ...user, id: staffId }));
    // With the setup guard too, a failing session guard reads as a stale setup (the caller rereads it, then learns).
    await refused(write(3, revoked, user, setupVersion), StaleSetupError);
    expect(await count()).toBe(2);
    expect(await changeCount()).toBe(changesBefore);

    await database.db.fork().users.setCounters(clientId, { noShowCount: 0, completedCount: 0, isBlocked: true });
    await refused(write(3, live));
    await database.db.fork().users.setCounters(clientId, { noShowCount: 0, completedCount: 0, isBlocked: false });
    await database.db.fork().appointments.book(write(3, live));
    expect(await count()).toBe(3);
  });

  it('bookingSetup reads what the users, staff-settings and availability repositories give, as domain rules', async () => {
    const staffId = await newStaff();
    const repos = database.db.fork();
    const staff = await repos.users.findById(staffId);
    expect(await repos.appointments.bookingSetup(staffId)).toEqual({ staff, overrides: await repos.staffSettings.get(staffId), rules: [], setupVersion: expect.any(Number) });
    expect(await repos.appointments.bookingSetup(999_999)).toEqual({ staff: null, overrides: await repos.staffSettings.get(999_999), rules: [], setupVersion: 0 });
    await repos.staffSettings.update(staffId, { bufferBeforeMinutes: 15, maxAdvanceDays: 30 });
    await repos.availability.create({ staffId, kind: 'available', type: 'weekly', dayOfWeek: 0, startTime: '09:00:00', endTime: '24:00:00' });
    await repos.availability.create({ staffId, kind: 'unavailable', type: 'date', date: '2030-03-05', startTime: '12:00:00', endTime: '13:00:00' });
    await repos.availability.create({ staffId, kind: 'unavailable', type: 'range', start: at(1), end: at(30) });
    const rules = (await repos.availability.listForStaff(staffId)).map(({ id: _id, staffId: _staff, ...rule }) => rule);
    expect(await database.db.fork().appointments.bookingSetup(staffId)).toEqual({ staff, overrides: await repos.staffSettings.get(staffId), rules, setupVersion: expect.any(Number) });
  });

  it('transition: applies changes only from the expected status, returning the updated record', async () => {
    const staffId = await newStaff();
    const created = await database.db.fork().appointments.create(booking(staffId, 1, 2));
    const repos = database.db.fork();
    await repos.appointments.findById(created.id); // loaded first: the fork's copy must be refreshed, not returned stale
    const updated = await repos.appointments.transition(created, { status: 'cancelled', notes: 'called in', sequence: 1 });
    // The write returns it with its parties' names, as reads do.
    expect(updated).toEqual({ ...created, status: 'cancelled', notes: 'called in', sequence: 1, updatedAt: expect.any(Number), staffName: 'S', clientName: 'C' });
    expect(updated!.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
    expect(await repos.appointments.findById(created.id)).toEqual(updated);
    expect(await database.db.fork().appointments.findById(created.id)).toEqual(updated);
    // No longer scheduled: a second change from 'scheduled' finds nothing to change, and changes nothing.
    expect(await database.db.fork().appointments.transition(created, { status: 'completed' })).toBeNull();
    expect(await database.db.fork().appointments.findById(created.id)).toEqual(updated);
    expect(await database.db.fork().appointments.transition({ ...created, id: 999_999 }, { status: 'cancelled' })).toBeNull();
    // Absent fields stay; an empty change only touches updatedAt.
    const same = await database.db.fork().appointments.transition(updated!, {});
    expect(same).toEqual({ ...updated, updatedAt: expect.any(Number) });
  });

  it('transition: of two concurrent changes from the same status, exactly one applies', async () => {
    const staffId = await newStaff();
    for (let round = 0; round < 5; round++) {
      const created = await database.db.fork().appointments.create(booking(staffId, 10 + round, 11 + round));
      const results = await Promise.all([
        database.db.transaction((tx) => tx.appointments.transition(created, { status: 'cancelled', sequence: 1 })),
        database.db.transaction((tx) => tx.appointments.transition(created, { status: 'completed' })),
      ]);
      const winners = results.filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      expect(await database.db.fork().appointments.findById(created.id)).toEqual(winners[0]);
    }
  });

  it('transition: of eight concurrent changes from one version that keep it scheduled, exactly one applies', async () => {
    const staffId = await newStaff();
    for (let round = 0; round < 5; round++) {
      const created = await database.db.fork().appointments.create(booking(staffId, 100 + round * 20, 101 + round * 20));
      const moves = Array.from({ length: 8 }, (_, i) => {
        const [start, end] = [at(102 + round * 20 + i * 2), at(103 + round * 20 + i * 2)];
        return database.db.transaction((tx) => tx.appointments.transition(created, { start, end, bufferedStart: start, bufferedEnd: end, sequence: 1 }));
      });
      const winners = (await Promise.all(moves)).filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      expect(await database.db.fork().appointments.findById(created.id)).toEqual(winners[0]);
    }
  });

  it('transition guarded by a setup version applies only while that version stands', async () => {
    const staffId = await newStaff();
    const created = await database.db.fork().appointments.create(booking(staffId, 200, 201));
    const { setupVersion } = await database.db.fork().appointments.bookingSetup(staffId);
    const move = (from: number) => ({ start: at(from), end: at(from + 1), bufferedStart: at(from), bufferedEnd: at(from + 1) });
    const moved = await database.db.fork().appointments.transition({ ...created, setupVersion }, { ...move(202), sequence: 1 });
    expect(moved).toMatchObject({ start: at(202), sequence: 1 });
    await database.db.fork().staffSettings.update(staffId, { bufferBeforeMinutes: 5 });
    expect(await database.db.fork().appointments.transition({ ...moved!, setupVersion }, { ...move(204), sequence: 2 })).toBeNull();
    expect(await database.db.fork().appointments.findById(created.id)).toEqual(moved);
    const current = (await database.db.fork().appointments.bookingSetup(staffId)).setupVersion;
    expect(await database.db.fork().appointments.transition({ ...moved!, setupVersion: current }, { ...move(204), sequence: 2 })).toMatchObject({ start: at(204) });
  });

  describe('the database refuses a client two scheduled appointments at once (CLIENT_BUSY), unless an admin waived it', () => {
    const CLIENT_BUSY = { code: 'APPOINTMENT.CLIENT_BUSY' };
    const newClient = async () =>
      (await database.db.fork().users.create({ email: `client${++n}@example.com`, fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
    const of = (client: number, staffId: number, from: number, to: number, clientOverlapAllowed = false) => ({ ...booking(staffId, from, to), clientId: client, clientOverlapAllowed });

    it('refuses overlaps across staff members, on insert and on a move; allows touching, other clients and non-scheduled ones', async () => {
      const [client, other] = [await newClient(), await newClient()];
      const [s1, s2, s3] = [await newStaff(), await newStaff(), await newStaff()];
      const first = await database.db.fork().appointments.create(of(client, s1, 300, 302));
      for (const [from, to] of [[300, 302], [299, 301], [301, 303], [300.5, 301]] as const) {
        await expect(database.db.fork().appointments.create(of(client, s2, from, to))).rejects.toMatchObject(CLIENT_BUSY);
      }
      await database.db.fork().appointments.create(of(client, s2, 302, 303)); // touching
      await database.db.fork().appointments.create(of(other, s3, 300, 302)); // someone else
      const later = await database.db.fork().appointments.create(of(client, s3, 310, 311));
      await expect(database.db.fork().appointments.transition(later, { start: at(301), end: at(302), bufferedStart: at(301), bufferedEnd: at(302) })).rejects.toMatchObject(CLIENT_BUSY);
      await database.db.fork().appointments.transition(first, { status: 'cancelled' });
      await database.db.fork().appointments.create(of(client, await newStaff(), 300, 301)); // the cancelled one no longer counts
    });

    it('a waived appointment may overlap; a later booking may not overlap it', async () => {
      const client = await newClient();
      const [s1, s2, s3] = [await newStaff(), await newStaff(), await newStaff()];
      await database.db.fork().appointments.create(of(client, s1, 320, 322));
      const waived = await database.db.fork().appointments.create(of(client, s2, 321, 323, true));
      expect(waived.clientOverlapAllowed).toBe(true);
      await expect(database.db.fork().appointments.create(of(client, s3, 322.5, 324))).rejects.toMatchObject(CLIENT_BUSY);
      // Moving it without the waiver is checked again.
      await expect(database.db.fork().appointments.transition(waived, { clientOverlapAllowed: false })).rejects.toMatchObject(CLIENT_BUSY);
    });

    it('of eight concurrent bookings of one client with eight staff members at one time, exactly one is written', async () => {
      for (let round = 0; round < 3; round++) {
        const client = await newClient();
        const staff = await Promise.all(Array.from({ length: 8 }, () => newStaff()));
        const results = await Promise.allSettled(staff.map((staffId) => database.db.fork().appointments.create(of(client, staffId, 330, 331))));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject(CLIENT_BUSY);
      }
    });
  });

  it('refuses an appointment for a user that does not exist', async () => {
    await expect(database.db.fork().appointments.create(booking(999_999, 1, 2))).rejects.toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  it('refuses intervals out of order or longer than MAX_BUFFERED_SPAN_MS (check constraints)', async () => {
    const staffId = await newStaff();
    await expect(database.db.fork().appointments.create(booking(staffId, 2, 1))).rejects.toThrow(/appointments_times_check|CHECK constraint failed/);
    const tooLong = { ...booking(staffId, 1, 2), bufferedStart: at(2) - MAX_BUFFERED_SPAN_MS - 1 };
    await expect(database.db.fork().appointments.create(tooLong)).rejects.toThrow(/appointments_buffered_span_check|CHECK constraint failed/);
  });

  describe('the database refuses overlapping scheduled appointments (no application check involved)', () => {
    it('refuses any overlap of buffered intervals with the same staff member', async () => {
      const staffId = await newStaff();
      await database.db.fork().appointments.create(booking(staffId, 10, 12));
      for (const [from, to] of [[10, 12], [9, 11], [11, 13], [10.5, 11.5], [9, 13]] as const) {
        await expect(database.db.fork().appointments.create(booking(staffId, from, to))).rejects.toMatchObject(SLOT_TAKEN);
      }
      // Buffers count: the appointments themselves do not overlap, their buffered intervals do.
      await expect(database.db.fork().appointments.create({ ...booking(staffId, 12, 13), bufferedStart: at(11.9) })).rejects.toMatchObject(SLOT_TAKEN);
      expect((await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length).toBe(1);
    });

    it('allows touching intervals, other staff members, and overlaps with non-scheduled appointments', async () => {
      const staffId = await newStaff();
      const otherStaffId = await newStaff();
      await database.db.fork().appointments.create(booking(staffId, 10, 12));
      await database.db.fork().appointments.create(booking(staffId, 12, 13));
      await database.db.fork().appointments.create(booking(staffId, 9, 10));
      await database.db.fork().appointments.create(booking(otherStaffId, 10, 12));
      for (const status of ['cancelled', 'completed', 'no_show'] as const) {
        const earlier = await database.db.fork().appointments.create(booking(staffId, 20, 21));
        await database.db.fork().appointments.transition(earlier, { status });
      }
      await database.db.fork().appointments.create(booking(staffId, 20, 21));
      expect((await database.db.fork().appointments.list({ staffId, status: 'scheduled', offset: 0, limit: 10 })).items.length).toBe(4);
    });

    it('finds an overlap with the longest possible buffered interval, right at the lower bound of the scan', async () => {
      const staffId = await newStaff();
      const end = at(100);
      const longest = { ...booking(staffId, 99, 100), bufferedStart: end - MAX_BUFFERED_SPAN_MS, bufferedEnd: end };
      await database.db.fork().appointments.create(longest);
      await expect(database.db.fork().appointments.create(booking(staffId, 99.99, 101))).rejects.toMatchObject(SLOT_TAKEN);
      await database.db.fork().appointments.create(booking(staffId, 100, 101));
    });

    it('refuses a transition that moves an appointment onto another one (SLOT_TAKEN), and leaves it where it was', async () => {
      const staffId = await newStaff();
      await database.db.fork().appointments.create(booking(staffId, 10, 11));
      const other = await database.db.fork().appointments.create(booking(staffId, 14, 15));
      const move = { start: at(10.5), end: at(11.5), bufferedStart: at(10.5), bufferedEnd: at(11.5) };
      await expect(database.db.fork().appointments.transition(other, { ...move, sequence: 1 })).rejects.toMatchObject(SLOT_TAKEN);
      expect(await database.db.fork().appointments.findById(other.id)).toMatchObject(other);
      // Moving within its own old interval, or to a free one, is fine.
      await database.db.fork().appointments.transition(other, { start: at(14.5), end: at(15.5), bufferedStart: at(14.5), bufferedEnd: at(15.5) });
      await database.db.fork().appointments.transition(other, { start: at(11), end: at(12), bufferedStart: at(11), bufferedEnd: at(12) });
    });

    it('refuses turning a cancelled appointment back to scheduled when its time was taken meanwhile', async () => {
      const staffId = await newStaff();
      const first = await database.db.fork().appointments.create(booking(staffId, 10, 11));
      await database.db.fork().appointments.transition(first, { status: 'cancelled' });
      await database.db.fork().appointments.create(booking(staffId, 10, 11));
      await expect(database.db.fork().appointments.transition({ ...first, status: 'cancelled' }, { status: 'scheduled' })).rejects.toMatchObject(SLOT_TAKEN);
      expect((await database.db.fork().appointments.findById(first.id))?.status).toBe('cancelled');
      // Other changes to a non-scheduled appointment are not checked.
      await database.db.fork().appointments.transition({ ...first, status: 'cancelled' }, { notes: 'called to cancel' });
    });

    it('leaves the repository usable after a refusal, and rolls back a refused transaction as a whole', async () => {
      const staffId = await newStaff();
      await database.db.fork().appointments.create(booking(staffId, 10, 11));
      const repos = database.db.fork();
      await expect(repos.appointments.create(booking(staffId, 10, 11))).rejects.toMatchObject(SLOT_TAKEN);
      await repos.appointments.create(booking(staffId, 11, 12));
      await expect(
        database.db.transaction(async (tx) => {
          await tx.appointments.create(booking(staffId, 12, 13));
          await tx.appointments.create(booking(staffId, 10, 11));
        }),
      ).rejects.toMatchObject(SLOT_TAKEN);
      expect((await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length).toBe(2);
    });

    it('lets exactly one of many concurrent bookings of the same time win', async () => {
      const staffId = await newStaff();
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => database.db.fork().appointments.create(booking(staffId, 10 + i * 0.1, 11 + i * 0.1))),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toMatchObject(SLOT_TAKEN);
      expect((await database.db.fork().appointments.list({ staffId, offset: 0, limit: 10 })).items.length).toBe(1);
    });

    it('answers every loser of many rounds of racing bookings SLOT_TAKEN at once: no deadlock in the exclusion check', async () => {
      // Two overlapping inserts that each wait for the other in PostgreSQL's exclusion check are
      // aborted as a deadlock after deadlock_timeout (1 s; a 500 then): up to 5 rounds in 60 did,
      // before appointments bumped their schedule version (and took its row lock) first.
      let slowest = 0;
      for (let round = 0; round < 60; round++) {
        const staffId = await newStaff();
        const started = performance.now();
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) =>
            i % 2
              ? database.db.fork().appointments.book({ ...booking(staffId, 10, 11), actorId: clientId, actorApiKeyId: null, at: at(-1) })
              : database.db.transaction(async (tx) => {
                  await tx.appointments.busyIntervals(staffId, at(0), at(24));
                  return tx.appointments.create(booking(staffId, 10, 11));
                }),
          ),
        );
        slowest = Math.max(slowest, performance.now() - started);
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toMatchObject(SLOT_TAKEN);
      }
      expect(slowest).toBeLessThan(900);
    }, 60_000);

    it('lets exactly one win when each booking first reads the busy intervals in its transaction', async () => {
      const staffId = await newStaff();
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          database.db.transaction(async (tx) => {
            // Every transaction may see the slot free: only the database can break the tie.
            await tx.appointments.busyIntervals(staffId, at(0), at(24));
            return tx.appointments.create(booking(staffId, 10, 11));
          }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toMatchObject(SLOT_TAKEN);
    });
  });

  it('busyIntervals: scheduled buffered intervals intersecting [from, to), sorted by start, as epoch ms', async () => {
    const staffId = await newStaff();
    const otherStaffId = await newStaff();
    const create = (from: number, to: number, buffers = 0) =>
      database.db.fork().appointments.create({ ...booking(staffId, from, to), bufferedStart: at(from - buffers), bufferedEnd: at(to + buffers) });
    await create(14, 15); // inside
    await create(5, 6); // ends exactly at `from`: not intersecting
    await create(20, 21); // starts exactly at `to`: not intersecting
    await create(7, 8, 0.5); // buffered [6.5, 8.5)
    await create(16, 19.5);
    await create(9, 10);
    const cancelled = await create(11, 12);
    await database.db.fork().appointments.transition(cancelled, { status: 'cancelled' });
    await database.db.fork().appointments.create(booking(otherStaffId, 12, 13));

    expect(await database.db.fork().appointments.busyIntervals(staffId, at(6), at(20))).toEqual([
      { start: at(6.5), end: at(8.5) },
      { start: at(9), end: at(10) },
      { start: at(14), end: at(15) },
      { start: at(16), end: at(19.5) },
    ]);
    expect(await database.db.fork().appointments.busyIntervals(staffId, at(30), at(40))).toEqual([]);
  });

  it('busyIntervals: finds a long buffered interval that started long before the window', async () => {
    const staffId = await newStaff();
    const longest = MAX_BUFFERED_SPAN_MS / HOUR;
    await database.db.fork().appointments.create({ ...booking(staffId, 0, 1), bufferedStart: at(1 - longest), bufferedEnd: at(1) });
    await database.db.fork().appointments.create(booking(staffId, -longest - 5, -longest - 1));
    expect(await database.db.fork().appointments.busyIntervals(staffId, at(0.5), at(2))).toEqual([
      { start: at(1 - longest), end: at(1) },
    ]);
  });

  it('list: filters by client, staff, status and time window; pages in start, then id order', async () => {
    const staffId = await newStaff();
    const otherStaffId = await newStaff();
    const client = async () => (await database.db.fork().users.create({ email: `client${++n}@example.com`, fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
    const clientA = await client();
    const clientB = await client();
    const create = (staff: number, from: number, to: number, who = clientA) => database.db.fork().appointments.create({ ...booking(staff, from, to), clientId: who });
    const c = await create(staffId, 30, 31);
    const a = await create(staffId, 10, 11);
    const b = await create(otherStaffId, 10, 11); // same start as `a`: the id breaks the tie
    const d = await create(staffId, 50, 51, clientB);
    const e = (await database.db.fork().appointments.transition(await create(otherStaffId, 40, 42), { status: 'no_show' }))!;

    const ids = async (filter: Parameters<Repositories['appointments']['list']>[0]) => {
      const page = await database.db.fork().appointments.list(filter);
      return { ids: page.items.map((item) => item.id), more: page.more };
    };
    const page = { offset: 0, limit: 10 };
    const [first, second] = [a.id, b.id].sort((x, y) => x - y) as [number, number];
    expect(await ids({ clientId: clientA, ...page })).toEqual({ ids: [first, second, c.id, e.id], more: false });
    expect(await ids({ staffId, ...page })).toEqual({ ids: [a.id, c.id, d.id], more: false });
    expect(await ids({ staffId, clientId: clientB, ...page })).toEqual({ ids: [d.id], more: false });
    expect(await ids({ clientId: clientA, status: 'no_show', ...page })).toEqual({ ids: [e.id], more: false });
    expect(await ids({ clientId: clientA, status: 'scheduled', ...page })).toEqual({ ids: [first, second, c.id], more: false });
    // [from, to) intersects [start, end); touching ends do not count.
    expect(await ids({ clientId: clientA, from: at(10.5), to: at(41), ...page })).toEqual({ ids: [first, second, c.id, e.id], more: false });
    expect(await ids({ clientId: clientA, from: at(11), to: at(30), ...page })).toEqual({ ids: [], more: false });
    // Two at a time after the last one read (its start and id); `more` until the last page.
    expect(await ids({ clientId: clientA, limit: 2 })).toEqual({ ids: [first, second], more: true });
    expect(await ids({ clientId: clientA, limit: 2, after: [at(10), second] })).toEqual({ ids: [c.id, e.id], more: false });
    expect(await ids({ clientId: clientA, limit: 2, after: [at(10), first] })).toEqual({ ids: [second, c.id], more: true });
    expect(await ids({ limit: 10, after: [at(40), e.id], from: at(10), to: at(60) })).toEqual({ ids: [d.id], more: false });
    expect(await ids({ staffId, from: at(31), ...page })).toEqual({ ids: [d.id], more: false });
    expect(await ids({ staffId: otherStaffId, to: at(40), ...page })).toEqual({ ids: [b.id], more: false });
    // Pages at an offset keep the order.
    expect(await ids({ clientId: clientA, offset: 0, limit: 2 })).toEqual({ ids: [first, second], more: true });
    expect(await ids({ clientId: clientA, offset: 2, limit: 2 })).toEqual({ ids: [c.id, e.id], more: false });
    expect(await ids({ clientId: clientA, offset: 4, limit: 2 })).toEqual({ ids: [], more: false });
  });

  it('a missing overlap guard shows up in the schema diff (the guard is managed, not invisible)', async () => {
    const scratch = await makeTarget();
    const orm = await MikroORM.init(ormOptions(scratch.target));
    try {
      await orm.migrator.up();
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
      const connection = orm.em.getConnection();
      if (scratch.target.dialect === 'sqlite') {
        await connection.execute('drop trigger appointments_update_no_overlap');
        expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toContain('create trigger `appointments_update_no_overlap`');
      } else {
        await connection.execute('alter table appointments drop constraint appointments_no_overlap');
        expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toContain('add constraint "appointments_no_overlap" exclude using gist');
      }
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});

describe('writes on PostgreSQL while a setup change is still committing', () => {
  it.each(['booking', 'move'] as const)('a %s waits for it and is refused as stale, rather than written against the old setup', async (kind) => {
    const target = await testTargets.postgresql();
    const [a, b] = [await Database.open(target.target), await Database.open(target.target, { migrate: false })];
    try {
      const user = (role: 'client' | 'staff') => a.fork().users.create({ email: `${role}@example.com`, fullName: role, role, passwordHash: 'x', timezone: 'UTC' });
      const [client, staff] = [await user('client'), await user('staff')];
      const interval = (from: number) => ({ start: at(from), end: at(from + 1), bufferedStart: at(from), bufferedEnd: at(from + 1) });
      const existing = await a.fork().appointments.create({ clientId: client.id, staffId: staff.id, ...interval(40), notes: null });
      const { setupVersion } = await a.fork().appointments.bookingSetup(staff.id);
      let changed!: () => void;
      const isChanged = new Promise<void>((resolve) => (changed = resolve));
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => (commit = resolve));
      // Another process changes the staff member's hours and has not committed yet.
      const change = b.transaction(async (tx) => {
        await tx.availability.create({ staffId: staff.id, kind: 'unavailable', type: 'range', start: at(0), end: at(48) });
        changed();
        await committing;
      });
      await isChanged;
      const write =
        kind === 'booking'
          ? a.fork().appointments.book({ clientId: client.id, staffId: staff.id, ...interval(1), notes: null, actorId: client.id, actorApiKeyId: null, at: at(-1), setupVersion })
          : a.fork().appointments.transition({ ...existing, setupVersion }, { ...interval(1), sequence: 1 });
      const settled = write.then(
        (written) => (written === null ? 'refused' : 'written'),
        (error: unknown) => (error instanceof StaleSetupError ? 'refused' : error),
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // the write is waiting on the change's row lock
      commit();
      await change;
      expect(await settled).toBe('refused');
      expect((await a.fork().appointments.list({ staffId: staff.id, from: at(1), to: at(2), offset: 0, limit: 10 })).items.length).toBe(0);
    } finally {
      await b.close();
      await a.close();
      await target.drop();
    }
  });
});

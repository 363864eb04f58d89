import { beforeAll, describe, expect, it } from 'vitest';
import { planNotifications, planReminders, type Notification } from '@appointments/domain';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
/** The worker's REMINDER_LEAD_MINUTES=1440. */
const SETTINGS = { reminderLeadMinutes: [24 * 60] };
const LEADS = SETTINGS.reminderLeadMinutes;

describe.each(Object.entries(testTargets))('notifications outbox on %s', (engine, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let clientId: number;
  let staffId: number;
  let slot = 0;
  beforeAll(async () => {
    const users = database.db.fork().users;
    clientId = (await users.create({ email: 'c@example.com', fullName: 'C', role: 'client', passwordHash: 'x', timezone: 'UTC', locale: 'de-AT' })).id;
    staffId = (await users.create({ email: 's@example.com', fullName: 'S', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  });

  /** A booked appointment (each in its own hour, days ahead) and the notifications its booking planned. */
  async function booked(startsInHours = 72, serviceId: number | null = null) {
    const start = NOW + startsInHours * HOUR + ++slot * 2 * HOUR;
    const end = start + HOUR;
    return database.db.transaction(async (repos) => {
      const a = await repos.appointments.create({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes: null, serviceId });
      const planned = planNotifications(a, { kind: 'booked' }, LEADS, NOW);
      await repos.notifications.record(a.id, planned);
      return { appointment: a, planned };
    });
  }
  const rowsOf = async (appointmentId: number) => (await database.db.fork().notifications.list({ appointmentId, offset: 0, limit: 50 })).items;

  it('records a booking: confirmation and reminder for both parties, pending, with their due times', async () => {
    const { appointment } = await booked();
    const rows = await rowsOf(appointment.id);
    expect(rows.map((r) => `${r.kind}:${r.recipientId}`).sort()).toEqual(
      [`confirmation:${clientId}`, `confirmation:${staffId}`, `reminder:${clientId}`, `reminder:${staffId}`].sort(),
    );
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0 && r.sequence === 0)).toBe(true);
    const reminder = rows.find((r) => r.kind === 'reminder')!;
    expect(reminder.dueAt).toBe(appointment.start - 24 * HOUR);
    expect(rows.find((r) => r.kind === 'confirmation')!.dueAt).toBe(NOW);
  });

  it('records each (appointment, kind, sequence, person, lead time) once, however often it is recorded', async () => {
    const { appointment, planned } = await booked();
    expect(await database.db.fork().notifications.record(appointment.id, planned)).toBe(0);
    await database.db.transaction((repos) => repos.notifications.record(appointment.id, planned));
    expect(await rowsOf(appointment.id)).toHaveLength(4);
    // Another lead time is another email to each party.
    const sooner = planReminders(appointment, [60, 24 * 60], NOW);
    expect(await database.db.fork().notifications.record(appointment.id, sooner)).toBe(2);
    const reminders = (await rowsOf(appointment.id)).filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => [r.leadMinutes, r.dueAt, r.recipientId]).sort()).toEqual(
      [
        [60, appointment.start - HOUR, clientId],
        [60, appointment.start - HOUR, staffId],
        [1440, appointment.start - 24 * HOUR, clientId],
        [1440, appointment.start - 24 * HOUR, staffId],
      ].sort(),
    );
    expect((await rowsOf(appointment.id)).filter((r) => r.kind === 'confirmation').map((r) => r.leadMinutes)).toEqual([null, null]);
  });

  it('rolls back with the transaction that recorded it', async () => {
    const before = await database.db.fork().notifications.count();
    await expect(
      database.db.transaction(async (repos) => {
        const start = NOW + 500 * HOUR;
        const a = await repos.appointments.create({ clientId, staffId, start, end: start + HOUR, bufferedStart: start, bufferedEnd: start + HOUR, notes: null });
        await repos.notifications.record(a.id, planNotifications(a, { kind: 'booked' }, LEADS, NOW));
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await database.db.fork().notifications.count()).toBe(before);
  });

  it('relays due pending rows oldest first and marks them queued, unless enqueueing them failed', async () => {
    const { appointment } = await booked();
    const repos = database.db.fork();
    const relayed: Notification[] = [];
    const relay = () =>
      database.db.fork().notifications.relayDue(new Date(NOW), 1000, new Date(NOW), async (rows) => {
        relayed.push(...rows);
      });
    await expect(database.db.fork().notifications.relayDue(new Date(NOW), 1000, new Date(NOW), () => Promise.reject(new Error('queue down')))).rejects.toThrow('queue down');
    expect(await relay()).toBeGreaterThanOrEqual(2);
    const due = relayed.filter((n) => n.appointmentId === appointment.id);
    expect(due.map((n) => [n.kind, n.status])).toEqual([['confirmation', 'pending'], ['confirmation', 'pending']]);
    expect(relayed.map((n) => n.dueAt)).toEqual(relayed.map((n) => n.dueAt).toSorted((a, b) => a - b));
    expect((await rowsOf(appointment.id)).filter((n) => n.kind === 'confirmation').map((n) => [n.status, n.queuedAt])).toEqual([['queued', NOW], ['queued', NOW]]);
    expect(await relay()).toBe(0);
    // Queued long enough ago: the sweep re-sends their jobs.
    const stale = await repos.notifications.queuedDue(new Date(NOW), new Date(NOW + 1), 1000);
    expect(stale.filter((n) => n.appointmentId === appointment.id)).toHaveLength(2);
    expect(await repos.notifications.queuedDue(new Date(NOW), new Date(NOW), 1000)).toEqual([]);

    const [first] = due;
    expect(await repos.notifications.markSent(first!.id, new Date(NOW + 5), '<m1@test>')).toBe(true);
    expect(await repos.notifications.markSent(first!.id, new Date(NOW + 6), '<m2@test>')).toBe(false);
    expect(await repos.notifications.markQueued([first!.id], new Date(NOW + 7))).toBe(0);
    expect(await repos.notifications.markDropped(first!.id, 'late')).toBe(false);
    const sent = await repos.notifications.findById(first!.id);
    expect(sent).toMatchObject({ status: 'sent', messageId: '<m1@test>', attempts: 1 });
    expect(sent!.sentAt).toBe(NOW + 5);
  });

  it.runIf(engine === 'postgresql')('gives relays running at once disjoint rows', async () => {
    const { appointment } = await booked();
    const ours = (rows: readonly Notification[]) => rows.filter((n) => n.appointmentId === appointment.id).map((n) => n.id);
    const first: number[] = [];
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // One row per relay: the first holds its row (enqueueing) while the second runs.
    const holding = database.db.fork().notifications.relayDue(new Date(NOW), 1, new Date(NOW), async (rows) => {
      first.push(...rows.map((n) => n.id));
      entered();
      await gate;
    });
    await inside;
    const second: number[] = [];
    await database.db.fork().notifications.relayDue(new Date(NOW), 1000, new Date(NOW), async (rows) => {
      second.push(...ours(rows));
    });
    release();
    await holding;
    expect(first).toHaveLength(1);
    expect(second).not.toContain(first[0]);
  });

  it('reads a notification with its appointment, both parties and its recipient (with their locales)', async () => {
    const { appointment } = await booked();
    const [row] = (await rowsOf(appointment.id)).filter((r) => r.kind === 'reminder' && r.recipientId === clientId);
    const found = await database.db.fork().notifications.findDeliverable(row!.id);
    expect(found?.notification).toEqual(row);
    expect(found?.appointment).toEqual({
      id: appointment.id,
      clientId,
      staffId,
      start: appointment.start,
      end: appointment.end,
      notes: null,
      status: 'scheduled',
      sequence: 0,
      updatedAt: appointment.updatedAt,
      client: { id: clientId, fullName: 'C', email: 'c@example.com', timezone: 'UTC', role: 'client', locale: 'de-AT' },
      staff: { id: staffId, fullName: 'S', email: 's@example.com', timezone: 'UTC', role: 'staff', locale: null },
      recipient: { id: clientId, fullName: 'C', email: 'c@example.com', timezone: 'UTC', role: 'client', locale: 'de-AT' },
      service: null,
    });
    expect(await database.db.fork().notifications.findDeliverable(-1)).toBeNull();
  });

  it("reads a service appointment's notification with the service's name and location", async () => {
    const fields = { description: null, durationMinutes: 60, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, staffIds: [staffId] };
    const services = await database.db.transaction(async (repos) => [
      await repos.services.create({ ...fields, name: 'Haircut', location: 'Room 2, Torstraße 1' }),
      await repos.services.create({ ...fields, name: 'Call', location: null }),
    ]);
    const expected = [{ name: 'Haircut', location: 'Room 2, Torstraße 1' }, { name: 'Call', location: null }];
    for (const [i, service] of services.entries()) {
      const { appointment } = await booked(72, service.id);
      const [row] = await rowsOf(appointment.id);
      expect((await database.db.fork().notifications.findDeliverable(row!.id))?.appointment?.service).toEqual(expected[i]);
    }
  });

  it('counts failed attempts, fails after the last, and lets an admin retry only a failed row', async () => {
    const { appointment } = await booked();
    const repos = database.db.fork();
    const [row] = (await rowsOf(appointment.id)).filter((r) => r.kind === 'confirmation');
    await repos.notifications.recordFailure(row!.id, '451 try later');
    await repos.notifications.recordFailure(row!.id, 'x'.repeat(5000));
    expect(await repos.notifications.retry(row!.id, new Date(NOW))).toBeNull();
    expect(await repos.notifications.markFailed(row!.id, null)).toBe(true);
    const failed = await repos.notifications.findById(row!.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed!.lastError).toHaveLength(2000);
    expect((await repos.notifications.list({ status: 'failed', offset: 0, limit: 50 })).items.map((n) => n.id)).toContain(row!.id);

    const later = new Date(NOW + HOUR);
    const retried = await repos.notifications.retry(row!.id, later);
    expect(retried).toMatchObject({ status: 'pending', queuedAt: null });
    expect(retried!.dueAt).toBe(later.getTime());
    expect(await repos.notifications.retry(row!.id, later)).toBeNull();
  });

  it('finds scheduled future appointments whose current version has no reminder', async () => {
    const repos = database.db.fork();
    const start = NOW + 900 * HOUR;
    const bare = await repos.appointments.create({ clientId, staffId, start, end: start + HOUR, bufferedStart: start, bufferedEnd: start + HOUR, notes: null });
    const { appointment: reminded } = await booked(800);
    const found = await repos.notifications.unreminded(new Date(NOW), LEADS, 10_000);
    expect(found.map((a) => a.id)).toContain(bare.id);
    expect(found.map((a) => a.id)).not.toContain(reminded.id);
    expect(found.find((a) => a.id === bare.id)).toEqual({ id: bare.id, clientId, staffId, start, status: 'scheduled', sequence: 0, reminderLeadMinutes: null });
    // Once its lead time has passed, nothing is missing any more.
    expect((await repos.notifications.unreminded(new Date(start - 24 * HOUR), LEADS, 10_000)).map((a) => a.id)).not.toContain(bare.id);
  });

  it('finds an appointment missing one of several lead times, until each lead time still ahead has its reminder', async () => {
    const repos = database.db.fork();
    const { appointment } = await booked(1100);
    const ids = async (now: number) => (await repos.notifications.unreminded(new Date(now), [24 * 60, 60], 10_000)).map((a) => a.id);
    expect(await ids(NOW)).toContain(appointment.id);
    // The 60-minute reminder's time has come and gone: only a lead time still ahead counts.
    expect(await ids(appointment.start - HOUR)).not.toContain(appointment.id);
    await repos.notifications.record(appointment.id, planReminders(appointment, [60], NOW));
    expect(await ids(NOW)).not.toContain(appointment.id);
  });

  it("judges a service's appointment by the service's own lead times", async () => {
    const fields = { description: null, durationMinutes: 60, location: null, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, staffIds: [staffId] };
    const own = await database.db.transaction((repos) => repos.services.create({ ...fields, name: 'Short notice', reminderLeadMinutes: [30] }));
    const none = await database.db.transaction((repos) => repos.services.create({ ...fields, name: 'Silent', reminderLeadMinutes: [] }));
    // Booked with the deployment's 24 h reminder: the service wants 30 minutes instead.
    const { appointment: ownA } = await booked(1200, own.id);
    const { appointment: noneA } = await booked(1200, none.id);
    const found = await database.db.fork().notifications.unreminded(new Date(NOW), LEADS, 10_000);
    expect(found.find((a) => a.id === ownA.id)?.reminderLeadMinutes).toEqual([30]);
    expect(found.map((a) => a.id)).not.toContain(noneA.id);
    await database.db.fork().notifications.record(ownA.id, planReminders(ownA, [30], NOW));
    expect((await database.db.fork().notifications.unreminded(new Date(NOW), LEADS, 10_000)).map((a) => a.id)).not.toContain(ownA.id);
  });

  it("plans a change of a service's appointment with the service's lead times, others with the deployment's", async () => {
    const fields = { description: null, durationMinutes: 60, location: null, priceCents: 0, currency: 'EUR', bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, staffIds: [staffId] };
    const service = await database.db.transaction((repos) => repos.services.create({ ...fields, name: 'Check-up', reminderLeadMinutes: [120, 10] }));
    const start = NOW + 1300 * HOUR;
    const book = (at: number, serviceId: number | null) =>
      database.db.fork().appointments.book({ clientId, staffId, start: at, end: at + HOUR, bufferedStart: at, bufferedEnd: at + HOUR, notes: null, serviceId, actorId: clientId, actorApiKeyId: null, at: NOW });
    const own = await book(start, service.id);
    const plain = await book(start + 2 * HOUR, null);
    await database.db.fork().appointmentChanges.processPending(SETTINGS, 10_000);
    const leadsOf = async (id: number) => [...new Set((await rowsOf(id)).filter((n) => n.kind === 'reminder').map((n) => n.leadMinutes))];
    expect(await leadsOf(own.id)).toEqual(expect.arrayContaining([120, 10]));
    expect(await leadsOf(own.id)).toHaveLength(2);
    expect(await leadsOf(plain.id)).toEqual([1440]);
  });

  it('leaves out an appointment with a change still to process: the change records its reminders', async () => {
    const start = NOW + 1000 * HOUR;
    const end = start + HOUR;
    const pending = await database.db.fork().appointments.book({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes: null, actorId: clientId, actorApiKeyId: null, at: NOW });
    const unreminded = async () => (await database.db.fork().notifications.unreminded(new Date(NOW), LEADS, 10_000)).map((a) => a.id);
    expect(await unreminded()).not.toContain(pending.id);
    await database.db.fork().appointmentChanges.processPending(SETTINGS, 10_000);
    expect((await rowsOf(pending.id)).filter((n) => n.kind === 'reminder')).toHaveLength(2);
    expect(await unreminded()).not.toContain(pending.id);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { Database, ormOptions } from '../database.ts';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import type { NewAppointmentEvent } from './appointment-event.repository.ts';

const T0 = Date.parse('2030-03-04T08:00:00.000Z');
const at = (hours: number) => T0 + hours * 3_600_000;
const NO_CHANGE = { fromStatus: null, toStatus: null, fromStart: null, fromEnd: null, toStart: null, toEnd: null, reason: null, policyOverride: false } as const;

describe.each(Object.entries(testTargets))('appointment history on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  let clientId: number;
  let staffId: number;
  let n = 0;
  beforeAll(async () => {
    const user = (email: string, role: 'client' | 'staff') => database.db.fork().users.create({ email, fullName: 'U', role, passwordHash: 'x', timezone: 'UTC' });
    clientId = (await user('client@example.com', 'client')).id;
    staffId = (await user('staff@example.com', 'staff')).id;
  });
  /** A fresh appointment per call, an hour after the previous one. */
  const book = () => {
    const hour = ++n * 2;
    return database.db.fork().appointments.create({ clientId, staffId, start: at(hour), end: at(hour + 1), bufferedStart: at(hour), bufferedEnd: at(hour + 1), notes: null });
  };
  const booked = (appointmentId: number, actorId: number | null, start: number, end: number): NewAppointmentEvent => ({
    ...NO_CHANGE,
    appointmentId,
    actorId,
    actorApiKeyId: null,
    at: at(0),
    action: 'booked',
    toStatus: 'scheduled',
    toStart: start,
    toEnd: end,
  });

  it('appends an entry and reads it back as plain data', async () => {
    const appointment = await book();
    const entry = await database.db.fork().appointmentEvents.append(booked(appointment.id, clientId, appointment.start, appointment.end));
    expect(entry).toEqual({ id: expect.any(Number), ...booked(appointment.id, clientId, appointment.start, appointment.end) });
    const moved: NewAppointmentEvent = {
      appointmentId: appointment.id,
      actorId: null, actorApiKeyId: null,
      at: at(0.5),
      action: 'rescheduled',
      fromStatus: null,
      toStatus: null,
      fromStart: appointment.start,
      fromEnd: appointment.end,
      toStart: at(30),
      toEnd: at(31),
      reason: 'staff ill',
      policyOverride: true,
    };
    const second = await database.db.fork().appointmentEvents.append(moved);
    expect(second).toEqual({ id: expect.any(Number), ...moved });
    expect(await database.db.fork().appointmentEvents.listFor(appointment.id)).toEqual([entry, second]);
  });

  it('lists one appointment’s entries oldest first (in the order appended), and nothing for others', async () => {
    const [a, b] = [await book(), await book()];
    const repos = database.db.fork();
    const entries = [];
    for (const [i, action] of (['booked', 'updated', 'cancelled'] as const).entries()) {
      // Clock readings out of order on purpose: the order of appending decides.
      entries.push(await repos.appointmentEvents.append({ ...NO_CHANGE, appointmentId: a.id, actorId: clientId, actorApiKeyId: null, at: at(10 - i), action }));
      await repos.appointmentEvents.append({ ...NO_CHANGE, appointmentId: b.id, actorId: staffId, actorApiKeyId: null, at: at(0), action: 'updated' });
    }
    expect(await database.db.fork().appointmentEvents.listFor(a.id)).toEqual(entries);
    expect((await database.db.fork().appointmentEvents.listFor(b.id)).map((entry) => entry.action)).toEqual(['updated', 'updated', 'updated']);
    expect(await database.db.fork().appointmentEvents.listFor(999_999)).toEqual([]);
  });

  it('commits an entry with its change, or neither: a refused reschedule leaves no entry', async () => {
    const [taken, moving] = [await book(), await book()];
    const attempt = database.db.transaction(async (tx) => {
      await tx.appointmentEvents.append({ ...NO_CHANGE, appointmentId: moving.id, actorId: clientId, actorApiKeyId: null, at: at(0), action: 'rescheduled' });
      return tx.appointments.transition(moving, { start: taken.start, end: taken.end, bufferedStart: taken.start, bufferedEnd: taken.end, sequence: 1 });
    });
    await expect(attempt).rejects.toMatchObject({ code: 'APPOINTMENT.SLOT_TAKEN' });
    expect(await database.db.fork().appointmentEvents.listFor(moving.id)).toEqual([]);
    expect(await database.db.fork().appointments.findById(moving.id)).toMatchObject(moving);
  });

  it('the database refuses to change or delete history; a missing guard shows up in the schema diff', async () => {
    const scratch = await makeTarget();
    const db = await Database.open(scratch.target);
    const orm = await MikroORM.init(ormOptions(scratch.target));
    try {
      const user = await db.fork().users.create({ email: 'u@example.com', fullName: 'U', role: 'client', passwordHash: 'x', timezone: 'UTC' });
      const appointment = await db.fork().appointments.create({ clientId: user.id, staffId: user.id, start: at(1), end: at(2), bufferedStart: at(1), bufferedEnd: at(2), notes: null });
      const entry = await db.fork().appointmentEvents.append(booked(appointment.id, user.id, appointment.start, appointment.end));
      const connection = orm.em.getConnection();
      const refused = /APPOINTMENT_HISTORY_IMMUTABLE/;
      await expect(connection.execute(`update appointment_events set reason = 'rewritten' where id = ${entry.id}`)).rejects.toThrow(refused);
      await expect(connection.execute(`delete from appointment_events where id = ${entry.id}`)).rejects.toThrow(refused);
      if (scratch.target.dialect === 'postgresql') await expect(connection.execute('truncate appointment_events')).rejects.toThrow(refused);
      expect(await db.fork().appointmentEvents.listFor(appointment.id)).toEqual([entry]);

      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
      if (scratch.target.dialect === 'sqlite') {
        await connection.execute('drop trigger appointment_events_append_only_delete');
        expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toContain('create trigger `appointment_events_append_only_delete`');
      } else {
        await connection.execute('drop trigger append_only on appointment_events');
        expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toContain('create trigger "append_only" BEFORE UPDATE OR DELETE');
      }
    } finally {
      await orm.close(true);
      await db.close();
      await scratch.drop();
    }
  });
});

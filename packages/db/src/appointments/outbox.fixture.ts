import { afterAll, beforeAll } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import type { Appointment, AppointmentChange } from '@appointments/domain';
import type { DatabaseTarget } from '../database-url.ts';
import { Database, ormOptions } from '../database.ts';
import type { AppointmentChanges } from './appointment.ts';

const HOUR = 3_600_000;

/** A throwaway database, as the test kit's testTargets make them. */
interface TestTarget {
  readonly target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * For a describe block of the outbox's tests: a fresh database with a client and a staff member,
 * a second ORM handle on it for what only a crash or a hand-run fix would do, and bookings and
 * changes written as the API writes them, at `now`.
 */
export class OutboxFixture {
  db!: Database;
  raw!: MikroORM;
  clientId!: number;
  staffId!: number;
  readonly now: number;
  #slot = 0;

  constructor(makeTarget: () => Promise<TestTarget>, now: number) {
    this.now = now;
    let target: TestTarget | undefined;
    beforeAll(async () => {
      target = await makeTarget();
      this.db = await Database.open(target.target);
      this.raw = await MikroORM.init(ormOptions(target.target));
      const users = this.db.fork().users;
      this.clientId = (await users.create({ email: 'c@example.com', fullName: 'Cleo Client', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
      this.staffId = (await users.create({ email: 's@example.com', fullName: 'Sam Staff', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
    });
    afterAll(async () => {
      await this.raw?.close(true);
      await this.db?.close();
      await target?.drop();
    });
  }

  /** Booked at `now`, days ahead, each in its own hours: its change is recorded, not yet processed. */
  book(notes: string | null = null) {
    const start = this.now + 72 * HOUR + ++this.#slot * 3 * HOUR;
    const end = start + HOUR;
    const { clientId, staffId } = this;
    return this.db.fork().appointments.book({ clientId, staffId, start, end, bufferedStart: start, bufferedEnd: end, notes, actorId: clientId, actorApiKeyId: null, at: this.now });
  }

  /** As the API changes one: the conditional update and its change, in one transaction. */
  change(current: Appointment, changes: AppointmentChanges, what: AppointmentChange, at = this.now) {
    return this.db.transaction(async (tx) => {
      const updated = (await tx.appointments.transition(current, { ...changes, sequence: current.sequence + 1 }))!;
      await tx.appointmentChanges.record({ appointmentId: current.id, sequence: updated.sequence, start: updated.start, state: updated, change: what, at });
      return updated;
    });
  }
}

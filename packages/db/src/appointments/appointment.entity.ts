import { defineEntity, p, type TriggerDef } from '@mikro-orm/core';
import type { EngineGuards } from '../engine-guards.ts';
import { APPOINTMENT_STATUSES, MAX_BUFFERED_SPAN_MS } from '@appointments/domain';
import { ServiceSchema } from '../services/service.entity.ts';
import { UserSchema } from '../users/user.entity.ts';

const AppointmentSchema = defineEntity({
  name: 'Appointment',
  tableName: 'appointments',
  properties: {
    id: p.integer().primary().autoincrement(),
    // No single-column FK indexes (SQLite would add them): the composite indexes below lead with these columns.
    client: () => p.manyToOne(UserSchema).index(false),
    staff: () => p.manyToOne(UserSchema).index(false),
    startAt: p.datetime(),
    endAt: p.datetime(),
    // The interval the no-overlap rule protects, fixed at booking time: later changes to a staff
    // member's buffers must not move existing appointments into (or out of) conflict.
    bufferedStart: p.datetime(),
    bufferedEnd: p.datetime(),
    notes: p.text().nullable(),
    status: p.enum(APPOINTMENT_STATUSES).default('scheduled'),
    // iCalendar SEQUENCE: attendees' calendars apply an update only if it is higher than the last one seen.
    sequence: p.integer().default(0),
    // An admin booked (or moved) it over the client's other appointments on purpose: the client-busy guard skips it.
    clientOverlapAllowed: p.boolean().default(false),
    // Null for an appointment booked by times alone. Services are deactivated, never deleted.
    service: () => p.manyToOne(ServiceSchema).nullable().index(false),
    // The group occurrence it holds a seat of (the domain's occurrenceKey), null when one-to-one.
    occurrence: p.string().length(100).nullable(),
    // The staff member's local date of the start, written by the app (the database knows no zones
    // on SQLite), so a daily cap is a count. Nullable only because SQLite cannot tighten a column
    // in place; every write sets it and the migration filled it in.
    localDate: p.string().length(10).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [
    // Overlap checks and busy intervals: staff_id = ? and buffered_start in a bounded range.
    { properties: ['staff', 'bufferedStart'] },
    // Lists page by (start_at, id) after a cursor: every one, a client's, a staff member's.
    { properties: ['startAt', 'id'] },
    { properties: ['client', 'startAt', 'id'] },
    { properties: ['staff', 'startAt', 'id'] },
    // Daily caps count one staff member's appointments of one local date; seats, one occurrence's.
    { properties: ['staff', 'localDate'] },
    { properties: ['occurrence'] },
  ],
  checks: [
    // Same SQL on both engines: SQLite compares epoch-ms integers, PostgreSQL timestamptz values.
    { name: 'appointments_times_check', expression: 'start_at < end_at and buffered_start <= start_at and buffered_end >= end_at' },
  ],
});

export class AppointmentEntity extends AppointmentSchema.class {}
AppointmentSchema.setClass(AppointmentEntity);
export { AppointmentSchema };


/** The message SQLite's overlap triggers abort with; the repository recognises refusals by it. */
export const SQLITE_OVERLAP_MESSAGE = 'APPOINTMENT_OVERLAP';
/** The PostgreSQL exclusion constraint refusing overlaps. */
export const PG_OVERLAP_CONSTRAINT = 'appointments_no_overlap';
/** The first key of the advisory locks that order bookings of one client (the second is their id). */
const CLIENT_LOCK_CLASS = 7_263_001;
/** The message both engines' client-busy guards abort with. */
export const CLIENT_BUSY_MESSAGE = 'APPOINTMENT_CLIENT_BUSY';
/** The messages both engines' seat and daily-cap guards abort with. */
export const FULLY_BOOKED_MESSAGE = 'APPOINTMENT_FULLY_BOOKED';
export const DAILY_LIMIT_MESSAGE = 'APPOINTMENT_DAILY_LIMIT_REACHED';

// Another scheduled appointment of the same staff member whose buffered interval overlaps NEW's
// (half-open, so touching intervals pass). The lower bound on buffered_start is implied by the
// span check below and keeps the (staff_id, buffered_start) index range short.
const sqliteOverlap =
  `exists (select 1 from appointments as a where a.staff_id = NEW.staff_id and a.status = 'scheduled' and a.id is not NEW.id` +
  ` and a.buffered_start > NEW.buffered_start - ${MAX_BUFFERED_SPAN_MS} and a.buffered_start < NEW.buffered_end and a.buffered_end > NEW.buffered_start` +
  ' and (NEW.occurrence is null or a.occurrence is not NEW.occurrence))';

// The staff guards beyond overlap, for a row that becomes (or stays, changed) scheduled: `other` is
// another scheduled appointment of NEW's staff member, given the engine's null-safe inequality.
const otherOf = (isNot: string) => `a.staff_id = NEW.staff_id and a.status = 'scheduled' and a.id ${isNot} NEW.id`;
/** The client already holds a seat of NEW's occurrence. */
const seatHeld = (isNot: string) => `exists (select 1 from appointments as a where ${otherOf(isNot)} and a.occurrence = NEW.occurrence and a.client_id = NEW.client_id)`;
/** NEW's occurrence has no seat left: as many as the service's capacity are taken. */
const seatsGone = (isNot: string) =>
  `(select count(*) from appointments as a where ${otherOf(isNot)} and a.occurrence = NEW.occurrence)` +
  ' >= coalesce((select s.capacity from services as s where s.id = NEW.service_id), 1)';
/** The staff member has a daily cap: only then are the day's appointments counted. */
const capped = '(select ss.max_bookings_per_day from staff_settings as ss where ss.staff_id = NEW.staff_id) is not null';
/** The staff member's daily cap is reached on NEW's local date. */
const dayFull = (isNot: string) =>
  `(select count(*) from appointments as a where ${otherOf(isNot)} and a.local_date = NEW.local_date)` +
  ' >= (select ss.max_bookings_per_day from staff_settings as ss where ss.staff_id = NEW.staff_id)';
/** An update that could take a seat or a day's booking it did not hold before. */
const limitsMoved = (isNot: string) =>
  '(' + ['status', 'staff_id', 'occurrence', 'local_date'].map((column) => `OLD.${column} ${isNot} NEW.${column}`).join(' or ') + ')';

// Another scheduled appointment of the same client, with another staff member, overlapping NEW's own
// (unbuffered) time: a person cannot be in two places. One with the same staff member is the staff
// guard's to refuse (SLOT_TAKEN). Bounded below like the staff check, for the (client_id, start_at) index.
const clientOverlap = (isNot: string, maxSpan: string) =>
  `exists (select 1 from appointments as a where a.client_id = NEW.client_id and a.status = 'scheduled' and a.id ${isNot} NEW.id and a.staff_id <> NEW.staff_id` +
  ` and a.start_at > NEW.start_at - ${maxSpan} and a.start_at < NEW.end_at and a.end_at > NEW.start_at)`;
/** NEW is scheduled and its client's guard not waived. */
const clientGuarded = `NEW.status = 'scheduled' and not NEW.client_overlap_allowed`;
/** An update that could make NEW overlap another appointment of its client; `isNot` is the engine's null-safe inequality. */
const clientMoved = (isNot: string) =>
  '(' + ['status', 'client_id', 'start_at', 'end_at', 'client_overlap_allowed'].map((column) => `OLD.${column} ${isNot} NEW.${column}`).join(' or ') + ')';

/**
 * The database's own refusal of overlapping scheduled appointments, per engine, so racing API
 * processes cannot both win. Declared as metadata (applied by `ormOptions` at discovery) rather
 * than only written into a migration: the schema diff then checks they exist, and a future SQLite
 * table rebuild recreates the triggers instead of silently dropping them.
 *
 * SQLite: the overlap test lives in the triggers' WHEN clause, not their body. MikroORM 7.2 reads
 * a trigger body back up to the first "end" (even inside `buffered_end`), so a body mentioning
 * that column never compares equal; and `before update of <columns>` is not parsed back at all,
 * hence the update trigger's WHEN re-checks only when status, staff or interval actually change.
 */
export const appointmentGuards: EngineGuards = {
  sqlite: {
    checks: [{ name: 'appointments_buffered_span_check', expression: `buffered_end - buffered_start <= ${MAX_BUFFERED_SPAN_MS}` }],
    triggers: [
      {
        name: 'appointments_insert_no_overlap',
        timing: 'before',
        events: ['insert'],
        when: `NEW.status = 'scheduled' and ${sqliteOverlap}`,
        body: `select raise(abort, '${SQLITE_OVERLAP_MESSAGE}')`,
      },
      {
        name: 'appointments_update_no_overlap',
        timing: 'before',
        events: ['update'],
        when:
          `NEW.status = 'scheduled' and (OLD.status is not NEW.status or OLD.staff_id is not NEW.staff_id` +
          ` or OLD.buffered_start is not NEW.buffered_start or OLD.buffered_end is not NEW.buffered_end) and ${sqliteOverlap}`,
        body: `select raise(abort, '${SQLITE_OVERLAP_MESSAGE}')`,
      },
      // One writer at a time on SQLite, so each count sees every committed booking. SQLite fires the
      // newest trigger first: declared (and migrated) in this order, the guards refuse in the order
      // PostgreSQL's do: client busy, seat held, seats, daily cap, overlap.
      ...(['insert', 'update'] as const).flatMap((event): TriggerDef[] => {
        const when = `NEW.status = 'scheduled'${event === 'update' ? ` and ${limitsMoved('is not')}` : ''}`;
        return [
          { name: `appointments_${event}_daily_limit`, timing: 'before', events: [event], when: `${when} and ${capped} and ${dayFull('is not')}`, body: `select raise(abort, '${DAILY_LIMIT_MESSAGE}')` },
          { name: `appointments_${event}_seats`, timing: 'before', events: [event], when: `${when} and NEW.occurrence is not null and ${seatsGone('is not')}`, body: `select raise(abort, '${FULLY_BOOKED_MESSAGE}')` },
          { name: `appointments_${event}_seat_held`, timing: 'before', events: [event], when: `${when} and NEW.occurrence is not null and ${seatHeld('is not')}`, body: `select raise(abort, '${CLIENT_BUSY_MESSAGE}')` },
        ];
      }),
      ...(['insert', 'update'] as const).map(
        (event): TriggerDef => ({
          name: `appointments_${event}_client_not_busy`,
          timing: 'before',
          events: [event],
          when: `${clientGuarded}${event === 'update' ? ` and ${clientMoved('is not')}` : ''} and ${clientOverlap('is not', String(MAX_BUFFERED_SPAN_MS))}`,
          body: `select raise(abort, '${CLIENT_BUSY_MESSAGE}')`,
        }),
      ),
    ],
  },
  postgresql: {
    checks: [
      {
        name: 'appointments_buffered_span_check',
        expression: `extract(epoch from buffered_end - buffered_start) * 1000 <= ${MAX_BUFFERED_SPAN_MS}`,
      },
      // Needs btree_gist for `staff_id with =`; the migration creates the extension first.
      {
        name: PG_OVERLAP_CONSTRAINT,
        // Seats of one group occurrence may overlap each other: a one-to-one appointment stands for
        // itself (its id), so it differs from every other row.
        expression: `exclude using gist (staff_id with =, tstzrange(buffered_start, buffered_end, '[)') with &&, (coalesce(occurrence, id::text)) with <>) where (status = 'scheduled')`,
      },
    ],
    // Not an exclusion constraint: an admin's waived appointment may overlap the client's others, yet
    // a later booking of the client may not overlap it. The client's advisory lock orders two bookings
    // of one client, so the second's check sees the first once committed. Named to fire after
    // bumps_schedule (same timing fires by name), so locks are always taken staff row first, then client.
    triggers: [
      {
        name: 'client_not_busy',
        timing: 'before',
        events: ['insert', 'update'],
        body:
          `if ${clientGuarded} and (TG_OP = 'INSERT' or ${clientMoved('is distinct from')}) then` +
          ` perform pg_advisory_xact_lock(${CLIENT_LOCK_CLASS}, NEW.client_id);` +
          ` if ${clientOverlap('is distinct from', `interval '${MAX_BUFFERED_SPAN_MS} milliseconds'`)} then raise exception '${CLIENT_BUSY_MESSAGE}'; end if;` +
          ' end if; return NEW;',
      },
      // Seats and daily caps count the staff member's appointments: after bumps_schedule (by name)
      // has locked their version row, so a racing booking of the same staff member waits for this
      // one to commit, and each statement here reads afresh (READ COMMITTED) and sees it.
      {
        name: 'staff_limits',
        timing: 'before',
        events: ['insert', 'update'],
        // Nested conditions: a one-to-one booking of a staff member without a cap counts nothing.
        body:
          `if NEW.status = 'scheduled' and (TG_OP = 'INSERT' or ${limitsMoved('is distinct from')}) then` +
          ' if NEW.occurrence is not null then' +
          ` if ${seatHeld('is distinct from')} then raise exception '${CLIENT_BUSY_MESSAGE}'; end if;` +
          ` if ${seatsGone('is distinct from')} then raise exception '${FULLY_BOOKED_MESSAGE}'; end if;` +
          ' end if;' +
          ` if ${capped} then if ${dayFull('is distinct from')} then raise exception '${DAILY_LIMIT_MESSAGE}'; end if; end if;` +
          ' end if; return NEW;',
      },
    ],
  },
};

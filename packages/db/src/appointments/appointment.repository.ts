import { DriverException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { DomainError, localDate, MAX_BUFFERED_SPAN_MS, type Appointment, type Interval, type NamedAppointment, type OccupiedInterval } from '@appointments/domain';
import { pageOf, type Page } from '../page.ts';
import { toInstant, type Runner } from '../runner/index.ts';
import {
  APPOINTMENT_BY_ID,
  appointmentList,
  appointmentTransition,
  BUSY_INTERVALS,
  INSERT_APPOINTMENT,
  newAppointmentValues,
  STAFF_TIMEZONE,
  type AppointmentRow,
  type BookedRow,
} from '../sql/appointments.ts';
import type { AppointmentChanges, AppointmentFilter, BookingWrite, ChangeGuard, NewAppointment } from './appointment.ts';
import { CLIENT_BUSY_MESSAGE, DAILY_LIMIT_MESSAGE, FULLY_BOOKED_MESSAGE, PG_OVERLAP_CONSTRAINT, SQLITE_OVERLAP_MESSAGE } from './appointment.entity.ts';
import { BOOKINGS_BY_DATE, BUSY_INTERVALS_OF_STAFF, OFFERING_VERSIONS } from '../sql/service-slots.ts';
import { readBookedOnDays, readBookedService, type ServiceForBooking } from './booked-service.ts';
import { readBookingSetup, readBookingSetups, type BookingSetup } from './booking-setup.ts';
import { writeBooking } from './booking.ts';

export function toAppointment(row: AppointmentRow): NamedAppointment {
  return {
    id: row.id,
    clientId: row.client_id,
    staffId: row.staff_id,
    start: toInstant(row.start_at),
    end: toInstant(row.end_at),
    bufferedStart: toInstant(row.buffered_start),
    bufferedEnd: toInstant(row.buffered_end),
    notes: row.notes,
    status: row.status,
    sequence: row.sequence,
    clientOverlapAllowed: Boolean(row.client_overlap_allowed),
    serviceId: row.service_id,
    occurrence: row.occurrence,
    localDate: row.local_date,
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
    staffName: row.staff_name,
    clientName: row.client_name,
  };
}

/**
 * The database refused an overlapping scheduled appointment. MikroORM 7.2 maps neither refusal
 * to a class of its own, so both arrive as a plain DriverException carrying the driver's fields:
 * PostgreSQL's exclusion_violation (SQLSTATE 23P01, and the constraint's name), SQLite's
 * `RAISE(ABORT, …)` from a trigger (SQLITE_CONSTRAINT_TRIGGER, and our message verbatim).
 * (Two overlapping inserts can't wait for each other in PostgreSQL's exclusion check, where one
 * would be aborted as a deadlock: the schedule-version trigger orders them first.)
 */
function isOverlapRefusal(error: unknown): boolean {
  if (!(error instanceof DriverException)) return false;
  const { code, constraint } = error as DriverException & { constraint?: string };
  if (code === '23P01') return constraint === PG_OVERLAP_CONSTRAINT;
  return code === 'SQLITE_CONSTRAINT_TRIGGER' && error.message === SQLITE_OVERLAP_MESSAGE;
}

function slotTaken(): DomainError {
  return new DomainError('APPOINTMENT.SLOT_TAKEN', 'The staff member already has an appointment at this time');
}

/** A guard's refusal raised by a trigger with `message`, on either engine. */
function raised(error: unknown, message: string): boolean {
  return error instanceof DriverException && error.message.includes(message);
}

/** The domain's error for what the database refused on insert or update, or the error as it was. */
function refusal(error: unknown): unknown {
  if (isOverlapRefusal(error)) return slotTaken();
  if (raised(error, CLIENT_BUSY_MESSAGE)) return new DomainError('APPOINTMENT.CLIENT_BUSY', 'The client already has another appointment at this time');
  if (raised(error, FULLY_BOOKED_MESSAGE)) return new DomainError('APPOINTMENT.FULLY_BOOKED', 'Every seat of this session is taken');
  if (raised(error, DAILY_LIMIT_MESSAGE)) {
    return new DomainError('APPOINTMENT.DAILY_LIMIT_REACHED', 'The staff member takes no more bookings that day');
  }
  if (error instanceof ForeignKeyConstraintViolationException) return new DomainError('USER.NOT_FOUND', 'Client or staff member not found');
  return error;
}

/** A new appointment as written: its fields as given, its defaults as the database applies them. */
function stored(id: number, data: NewAppointment & { readonly localDate: string }, at: number): Appointment {
  const { clientId, staffId, start, end, bufferedStart, bufferedEnd, notes, localDate } = data;
  return {
    id,
    clientId,
    staffId,
    start,
    end,
    bufferedStart,
    bufferedEnd,
    notes,
    status: 'scheduled',
    sequence: 0,
    clientOverlapAllowed: data.clientOverlapAllowed ?? false,
    serviceId: data.serviceId ?? null,
    occurrence: data.occurrence ?? null,
    localDate,
    createdAt: at,
    updatedAt: at,
  };
}

/** Appointments; everything it returns is plain data. */
export class AppointmentRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /**
   * Books it, alone (no history entry, no change recorded: seeds and tests); the database refuses an
   * overlap with another scheduled appointment of the staff member.
   */
  async create(data: NewAppointment): Promise<Appointment> {
    const now = new Date();
    const row = await this.#dated(data);
    let id: number;
    try {
      const { rows } = await this.#sql.run(INSERT_APPOINTMENT, newAppointmentValues(row, now));
      id = rows[0]!.id;
    } catch (error) {
      throw refusal(error);
    }
    return stored(id, row, now.getTime());
  }

  /**
   * Books it with its "booked" history entry and its change, all or nothing, in as few round
   * trips as the engine allows (booking.ts). The database refuses an overlap (SLOT_TAKEN).
   */
  async book(booking: BookingWrite): Promise<NamedAppointment> {
    const now = new Date();
    const write = await this.#dated(booking);
    let booked: BookedRow;
    try {
      booked = await writeBooking(this.#sql, write, now);
    } catch (error) {
      throw refusal(error);
    }
    return { ...stored(booked.id, write, now.getTime()), staffName: booked.staff_name, clientName: booked.client_name };
  }

  /** `data` with its local date, read in the staff member's zone when not given (seeds and tests). */
  async #dated<T extends Pick<NewAppointment, 'staffId' | 'start' | 'localDate'>>(data: T): Promise<T & { readonly localDate: string }> {
    if (data.localDate !== undefined) return data as T & { readonly localDate: string };
    const [staff] = (await this.#sql.run(STAFF_TIMEZONE, [data.staffId])).rows;
    return { ...data, localDate: localDate(data.start, staff?.timezone ?? 'UTC') };
  }

  /** What booking (or moving) an appointment with the staff member is checked against, the user included, in one read. */
  async bookingSetup(staffId: number): Promise<BookingSetup> {
    return readBookingSetup(this.#sql, staffId);
  }

  /** The setups of several staff members (the candidates of a booking by service) in one read, by id. */
  async bookingSetups(staffIds: readonly number[]): Promise<Map<number, BookingSetup>> {
    return readBookingSetups(this.#sql, staffIds);
  }

  /**
   * The service a booking names, as booking judges by it (who offers it included), in one read;
   * null if none. With `days`, on PostgreSQL also the scheduled appointments of each who offers it
   * on those local dates, saving assignment a round trip; SQLite has no round trips to save, and
   * counting each candidate's own date afterwards (bookedOnDays) reads fewer rows.
   */
  async bookedService(serviceId: number, days?: readonly [from: string, to: string]): Promise<ServiceForBooking | null> {
    return readBookedService(this.#sql, serviceId, this.#sql.dialect === 'postgresql' ? days : undefined);
  }

  /** Scheduled appointments of each staff member on the local date paired with them (daily caps, fair assignment), in one read. */
  async bookedOnDays(days: readonly { readonly staffId: number; readonly localDate: string }[]): Promise<Map<number, number>> {
    return readBookedOnDays(this.#sql, days);
  }

  async findById(id: number): Promise<NamedAppointment | null> {
    const [row] = (await this.#sql.run(APPOINTMENT_BY_ID, [id])).rows;
    return row ? toAppointment(row) : null;
  }

  /**
   * Applies `changes` only if the appointment is still in the status and at the version it was read at
   * (and, with `setupVersion`, the staff member's setup still at that version): one conditional
   * UPDATE, so of changes racing from one version exactly one applies (PostgreSQL re-checks the
   * condition after waiting for the other's row lock; SQLite runs one write at a time). Null when
   * the condition failed: someone else changed it (or the setup) first. Moving it onto another
   * scheduled appointment is refused by the database (SLOT_TAKEN).
   *
   * PostgreSQL: the staff member's version row is locked first, as every booking's trigger locks it
   * before its insert; a change taking the appointment's row lock first could deadlock with a
   * booking waiting on that row in the exclusion check. The setup version is read under that lock.
   */
  async transition(guard: ChangeGuard, changes: AppointmentChanges): Promise<NamedAppointment | null> {
    // A move without its local date (seeds and tests): read in the staff member's zone.
    const { start, localDate: given, staffId = guard.staffId } = changes;
    const moved = start !== undefined && given === undefined ? { ...changes, localDate: (await this.#dated({ staffId, start })).localDate } : changes;
    let rows: AppointmentRow[];
    try {
      ({ rows } = await this.#sql.run(...appointmentTransition(this.#sql.dialect, guard, moved, new Date())));
    } catch (error) {
      throw refusal(error);
    }
    return rows[0] ? toAppointment(rows[0]) : null;
  }

  /**
   * The buffered intervals of the staff member's scheduled appointments intersecting [from, to),
   * by start. The hot path of slot listing: one range scan of (staff_id, buffered_start), whose
   * lower bound holds because no buffered interval is longer than MAX_BUFFERED_SPAN_MS (a check
   * constraint), and two columns read back by a prepared statement.
   */
  async busyIntervals(staffId: number, from: number, to: number): Promise<Interval[]> {
    const { rows } = await this.#sql.run(BUSY_INTERVALS, [staffId, new Date(from - MAX_BUFFERED_SPAN_MS), new Date(to), new Date(from)]);
    return rows.map((row) => ({ start: toInstant(row.buffered_start), end: toInstant(row.buffered_end) }));
  }

  /** Who offers a service (only `staffId`, if given and offering it), by id, with each one's schedule version (schedule-version.entity.ts). */
  async offeringVersions(serviceId: number, staffId: number | null): Promise<{ staffId: number; version: number }[]> {
    const { rows } = await this.#sql.run(OFFERING_VERSIONS, [serviceId, staffId]);
    return rows.map((row) => ({ staffId: row.staff_id, version: Number(row.version) }));
  }

  /**
   * busyIntervals of several staff members in one read, each interval with the group occurrence it
   * holds a seat of; by staff id, in no particular order.
   */
  async busyIntervalsOf(staffIds: readonly number[], from: number, to: number): Promise<Map<number, OccupiedInterval[]>> {
    const byStaff = new Map<number, OccupiedInterval[]>(staffIds.map((id) => [id, []]));
    if (staffIds.length === 0) return byStaff;
    const { rows } = await this.#sql.run(BUSY_INTERVALS_OF_STAFF, [staffIds, new Date(from - MAX_BUFFERED_SPAN_MS), new Date(to), new Date(from)]);
    for (const row of rows) byStaff.get(row.staff_id)?.push({ start: toInstant(row.buffered_start), end: toInstant(row.buffered_end), occurrence: row.occurrence });
    return byStaff;
  }

  /** The scheduled appointments of each staff member per local date from `fromDate` to `toDate` (inclusive): what a daily cap counts. */
  async bookingsByDate(staffIds: readonly number[], fromDate: string, toDate: string): Promise<Map<number, [date: string, bookings: number][]>> {
    const byStaff = new Map<number, [string, number][]>(staffIds.map((id) => [id, []]));
    if (staffIds.length === 0) return byStaff;
    const { rows } = await this.#sql.run(BOOKINGS_BY_DATE, [staffIds, fromDate, toDate]);
    for (const row of rows) byStaff.get(row.staff_id)?.push([row.local_date, Number(row.bookings)]);
    return byStaff;
  }

  /** By start, then id; `from`/`to` keep appointments whose [start, end) intersects [from, to). */
  async list(filter: AppointmentFilter): Promise<Page<NamedAppointment>> {
    return pageOf((await this.#sql.run(...appointmentList(filter))).rows, filter.limit, toAppointment);
  }
}

import {
  DriverException,
  ForeignKeyConstraintViolationException,
  type EntityData,
  type EntityManager,
  type FilterQuery,
} from '@mikro-orm/core';
// Both drivers (SQLite, PostgreSQL) hand out @mikro-orm/sql's SqlEntityManager; the sqlite package re-exports its type.
import { SqlitePlatform, type SqlEntityManager } from '@mikro-orm/sqlite';
import { DomainError, MAX_BUFFERED_SPAN_MS, type AppointmentStatus, type Interval } from '@appointments/domain';
import { execute, Statement, toDate } from '../raw-sql.ts';
import type { Page } from '../users/user.repository.ts';
import { AppointmentEntity, CLIENT_BUSY_MESSAGE, PG_OVERLAP_CONSTRAINT, SQLITE_OVERLAP_MESSAGE } from './appointment.entity.ts';
import { readBookingSetup, SETUP_VERSION_OF, type BookingSetup } from './booking-setup.ts';
import { appointmentValues, INSERT_APPOINTMENT, writeBooking, type BookingWrite } from './booking.ts';

const BUSY = new Statement<{ readonly buffered_start: unknown; readonly buffered_end: unknown }>(
  "select buffered_start, buffered_end from appointments where staff_id = ? and status = 'scheduled'" +
    ' and buffered_start > ? and buffered_start < ? and buffered_end > ? order by buffered_start',
);

export interface Appointment {
  readonly id: number;
  readonly clientId: number;
  readonly staffId: number;
  readonly start: Date;
  readonly end: Date;
  readonly bufferedStart: Date;
  readonly bufferedEnd: Date;
  readonly notes: string | null;
  readonly status: AppointmentStatus;
  /** Its version and iCalendar SEQUENCE: starts at 0; every change raises it. */
  readonly sequence: number;
  /** An admin waived the client-busy guard for it (allow_client_overlap): it may overlap the client's others. */
  readonly clientOverlapAllowed: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type NewAppointment = Pick<Appointment, 'clientId' | 'staffId' | 'start' | 'end' | 'bufferedStart' | 'bufferedEnd' | 'notes'> &
  Partial<Pick<Appointment, 'clientOverlapAllowed'>>;

/** Absent fields stay as they are. Moving or re-scheduling is refused by the database on overlap. */
export type AppointmentChanges = Partial<{
  start: Date;
  end: Date;
  bufferedStart: Date;
  bufferedEnd: Date;
  notes: string | null;
  status: AppointmentStatus;
  sequence: number;
  clientOverlapAllowed: boolean;
}>;

/**
 * What a change was decided on: the appointment as read (its `sequence` is its version) and, for a
 * change judged against the staff member's setup (a move), the setup version it was judged by.
 */
export type ChangeGuard = Pick<Appointment, 'id' | 'staffId' | 'status' | 'sequence'> & { readonly setupVersion?: number };

export interface AppointmentFilter {
  readonly clientId?: number;
  readonly staffId?: number;
  readonly status?: AppointmentStatus;
  /** With `to`: appointments intersecting [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  readonly offset: number;
  readonly limit: number;
}

function toAppointment(entity: AppointmentEntity): Appointment {
  return {
    id: entity.id,
    clientId: entity.client.id,
    staffId: entity.staff.id,
    start: entity.startAt,
    end: entity.endAt,
    bufferedStart: entity.bufferedStart,
    bufferedEnd: entity.bufferedEnd,
    notes: entity.notes ?? null,
    status: entity.status,
    sequence: entity.sequence,
    clientOverlapAllowed: entity.clientOverlapAllowed,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
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

/** The client-busy guard's refusal: its message, raised by a trigger on either engine. */
function isClientBusy(error: unknown): boolean {
  return error instanceof DriverException && error.message.includes(CLIENT_BUSY_MESSAGE);
}

/** The domain's error for what the database refused on insert or update, or the error as it was. */
function refusal(error: unknown): unknown {
  if (isOverlapRefusal(error)) return slotTaken();
  if (isClientBusy(error)) return new DomainError('APPOINTMENT.CLIENT_BUSY', 'The client already has another appointment at this time');
  if (error instanceof ForeignKeyConstraintViolationException) return new DomainError('USER.NOT_FOUND', 'Client or staff member not found');
  return error;
}

/** Appointments; everything it returns is plain data. */
export class AppointmentRepository {
  readonly #em: SqlEntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em as SqlEntityManager;
  }

  /**
   * Books it, alone (no history entry, no outbox rows: seeds and tests); the database refuses an
   * overlap with another scheduled appointment of the staff member.
   */
  async create(data: NewAppointment): Promise<Appointment> {
    const now = new Date();
    let id: number;
    try {
      const { rows } = await execute(this.#em, INSERT_APPOINTMENT, appointmentValues(data, now));
      id = rows[0]!.id;
    } catch (error) {
      throw refusal(error);
    }
    return { ...data, id, status: 'scheduled', sequence: 0, clientOverlapAllowed: data.clientOverlapAllowed ?? false, createdAt: now, updatedAt: now };
  }

  /**
   * Books it with its "booked" history entry and its outbox rows, all or nothing, in as few round
   * trips as the engine allows (booking.ts). The database refuses an overlap (SLOT_TAKEN).
   */
  async book(booking: BookingWrite): Promise<Appointment> {
    const now = new Date();
    let id: number;
    try {
      id = await writeBooking(this.#em, booking, now);
    } catch (error) {
      throw refusal(error);
    }
    const { clientId, staffId, start, end, bufferedStart, bufferedEnd, notes } = booking;
    const clientOverlapAllowed = booking.clientOverlapAllowed ?? false;
    return { id, clientId, staffId, start, end, bufferedStart, bufferedEnd, notes, status: 'scheduled', sequence: 0, clientOverlapAllowed, createdAt: now, updatedAt: now };
  }

  /** What booking (or moving) an appointment with the staff member is checked against, the user included, in one read. */
  async bookingSetup(staffId: number): Promise<BookingSetup> {
    return readBookingSetup(this.#em, staffId);
  }

  async findById(id: number): Promise<Appointment | null> {
    const entity = await this.#em.findOne(AppointmentEntity, { id });
    return entity && toAppointment(entity);
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
  async transition(guard: ChangeGuard, changes: AppointmentChanges): Promise<Appointment | null> {
    // A query-builder UPDATE skips the entity's onUpdate hook, hence updatedAt here.
    const set: EntityData<AppointmentEntity> = { updatedAt: new Date() };
    if (changes.start !== undefined) set.startAt = changes.start;
    if (changes.end !== undefined) set.endAt = changes.end;
    if (changes.bufferedStart !== undefined) set.bufferedStart = changes.bufferedStart;
    if (changes.bufferedEnd !== undefined) set.bufferedEnd = changes.bufferedEnd;
    if (changes.notes !== undefined) set.notes = changes.notes;
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.sequence !== undefined) set.sequence = changes.sequence;
    if (changes.clientOverlapAllowed !== undefined) set.clientOverlapAllowed = changes.clientOverlapAllowed;
    const postgresql = !(this.#em.getPlatform() instanceof SqlitePlatform);
    const { setupVersion } = guard;
    let update = this.#em.createQueryBuilder(AppointmentEntity).update(set).where({ id: guard.id, status: guard.status, sequence: guard.sequence });
    if (postgresql || setupVersion !== undefined) {
      const version = SETUP_VERSION_OF('?', postgresql);
      update = setupVersion === undefined ? update.andWhere(`${version} >= 0`, [guard.staffId]) : update.andWhere(`${version} = ?`, [guard.staffId, setupVersion]);
    }
    let rows: Record<string, unknown>[];
    try {
      rows = await update.returning('*').execute('all', false);
    } catch (error) {
      // Unlike flush(), a query builder hands out the driver's own error: convert it as flush() would.
      throw refusal(error instanceof Error ? this.#em.getDriver().convertException(error) : error);
    }
    const [row] = rows;
    // map(): the row as this fork's entity, refreshing one it had already loaded.
    return row ? toAppointment(this.#em.map(AppointmentEntity, row)) : null;
  }

  /**
   * The buffered intervals of the staff member's scheduled appointments intersecting [from, to),
   * by start. The hot path of slot listing: one range scan of (staff_id, buffered_start), whose
   * lower bound holds because no buffered interval is longer than MAX_BUFFERED_SPAN_MS (a check
   * constraint), and two columns read back by a prepared statement, without entities.
   */
  async busyIntervals(staffId: number, from: number, to: number): Promise<Interval[]> {
    const { rows } = await execute(this.#em, BUSY, [staffId, new Date(from - MAX_BUFFERED_SPAN_MS), new Date(to), new Date(from)]);
    return rows.map((row) => ({ start: toDate(row.buffered_start).getTime(), end: toDate(row.buffered_end).getTime() }));
  }

  /** By start, then id; `from`/`to` keep appointments whose [start, end) intersects [from, to). */
  async list(filter: AppointmentFilter): Promise<Page<Appointment>> {
    const where: FilterQuery<AppointmentEntity> = {};
    if (filter.clientId !== undefined) where.client = filter.clientId;
    if (filter.staffId !== undefined) where.staff = filter.staffId;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.from !== undefined) where.endAt = { $gt: filter.from };
    if (filter.to !== undefined) where.startAt = { $lt: filter.to };
    const [entities, total] = await this.#em.findAndCount(AppointmentEntity, where, {
      orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
      offset: filter.offset,
      limit: filter.limit,
    });
    return { items: entities.map(toAppointment), total };
  }

}

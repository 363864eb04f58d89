import type { ActedBy, Appointment, AppointmentStatus, Instant } from '@appointments/domain';
import type { PageStart } from '../page.ts';
import type { SessionAsRead } from '../sessions/session-guard.ts';

/** Without `localDate`, the repository reads it in the staff member's zone (seeds and tests); the API always gives it. */
export type NewAppointment = Pick<Appointment, 'clientId' | 'staffId' | 'start' | 'end' | 'bufferedStart' | 'bufferedEnd' | 'notes'> &
  Partial<Pick<Appointment, 'clientOverlapAllowed' | 'serviceId' | 'occurrence' | 'localDate'>>;

/**
 * Absent fields stay as they are. A move gives the new local date (and occurrence) with the new
 * times. Moving or re-scheduling is refused by the database on overlap, a full occurrence or a
 * full day.
 */
export type AppointmentChanges = Partial<
  Pick<
    Appointment,
    'start' | 'end' | 'bufferedStart' | 'bufferedEnd' | 'notes' | 'status' | 'sequence' | 'clientOverlapAllowed' | 'staffId' | 'occurrence' | 'localDate'
  >
>;

/**
 * What a change was decided on: the appointment as read (its `sequence` is its version) and, for a
 * change judged against the staff member's setup (a move), the setup version it was judged by.
 */
export type ChangeGuard = Pick<Appointment, 'id' | 'staffId' | 'status' | 'sequence'> & { readonly setupVersion?: number };

export interface AppointmentFilter extends PageStart<readonly [start: Instant, id: number]> {
  readonly clientId?: number;
  readonly staffId?: number;
  readonly status?: AppointmentStatus;
  /** With `to`: appointments intersecting [from, to). */
  readonly from?: Instant;
  readonly to?: Instant;
}

/** A new appointment with what must commit with it: its "booked" history entry and its change (for the worker's emails). */
export interface BookingWrite extends NewAppointment, ActedBy {
  /** When it was booked (by ActedBy's actor, as its history entry says). */
  readonly at: Instant;
  /**
   * The staff member's setup version the booking was checked against (a cached setup, say): the
   * write refuses itself with StaleSetupError, writing nothing, if the setup has moved since.
   */
  readonly setupVersion?: number;
  /**
   * The session the request was judged by, when it was one kept from an earlier request: the write
   * refuses itself with StaleSessionError, writing nothing, unless it still reads so (session-guard.ts).
   */
  readonly session?: SessionAsRead;
}

import type { ActedBy } from '../auth/actor.ts';
import type { AppointmentStatus, Instant } from '../scheduling/types.ts';

/**
 * A stored appointment, as the database returns it. The narrower views the rules take (the status
 * machine's, the notification rules', a calendar event's) are slices of it, so a stored
 * appointment is a valid argument to each as it is.
 */
export interface Appointment {
  readonly id: number;
  readonly clientId: number;
  readonly staffId: number;
  readonly start: Instant;
  readonly end: Instant;
  readonly bufferedStart: Instant;
  readonly bufferedEnd: Instant;
  readonly notes: string | null;
  readonly status: AppointmentStatus;
  /** Its version and iCalendar SEQUENCE: starts at 0; every change raises it. */
  readonly sequence: number;
  /** An admin waived the client-busy guard for it (allow_client_overlap): it may overlap the client's others. */
  readonly clientOverlapAllowed: boolean;
  /** The service booked, null for an appointment made by times alone. */
  readonly serviceId: number | null;
  /** The group occurrence it holds a seat of (occurrenceKey), null when it is one-to-one. */
  readonly occurrence: string | null;
  /** The calendar date of its start in the staff member's zone: what a daily cap counts. */
  readonly localDate: string;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
}

/** A stored appointment with its parties' full names, as every answer about it shows it. */
export interface NamedAppointment extends Appointment {
  readonly staffName: string;
  readonly clientName: string;
}

/** What can happen to an appointment: its history entry and its recorded change name one of these. */
export const APPOINTMENT_CHANGE_KINDS = ['booked', 'updated', 'cancelled', 'rescheduled', 'completed', 'no_show'] as const;
export type AppointmentChangeKind = (typeof APPOINTMENT_CHANGE_KINDS)[number];

/** One entry of an appointment's history. Null fields were not touched by the change; who acted is ActedBy's. */
export interface AppointmentEvent extends ActedBy {
  readonly id: number;
  readonly appointmentId: number;
  readonly at: Instant;
  readonly action: AppointmentChangeKind;
  readonly fromStatus: AppointmentStatus | null;
  readonly toStatus: AppointmentStatus | null;
  readonly fromStart: Instant | null;
  readonly fromEnd: Instant | null;
  readonly toStart: Instant | null;
  readonly toEnd: Instant | null;
  readonly reason: string | null;
  readonly policyOverride: boolean;
}

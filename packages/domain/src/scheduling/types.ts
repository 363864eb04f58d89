/**
 * The scheduling vocabulary shared by every layer. Instants are epoch milliseconds (UTC) inside
 * the engine: numbers are cheap to compare and sort; they become ISO strings only at the edge.
 */
export type Instant = number;

/** A half-open interval [start, end) of instants. */
export interface Interval {
  readonly start: Instant;
  readonly end: Instant;
}

export const AVAILABILITY_KINDS = ['available', 'unavailable'] as const;
export type AvailabilityKind = (typeof AVAILABILITY_KINDS)[number];

/**
 * One availability entry. `weekly` and `date` are wall-clock times ("HH:MM:SS", end may be
 * "24:00:00") in the staff member's zone; `range` blocks a span of real time (a holiday).
 * `dayOfWeek` counts from 0 = Monday, as the seed does.
 */
export type AvailabilityRule =
  | { readonly kind: AvailabilityKind; readonly type: 'weekly'; readonly dayOfWeek: number; readonly startTime: string; readonly endTime: string }
  | { readonly kind: AvailabilityKind; readonly type: 'date'; readonly date: string; readonly startTime: string; readonly endTime: string }
  | { readonly kind: 'unavailable'; readonly type: 'range'; readonly start: Instant; readonly end: Instant };

/** A staff member's booking rules, after config defaults are applied. */
export interface BookingRules {
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly minNoticeMinutes: number;
  readonly maxAdvanceDays: number;
  /** null: step by the slot duration. */
  readonly slotIntervalMinutes: number | null;
  /** Scheduled appointments a day, counted on the staff member's local date; null: no cap. */
  readonly maxBookingsPerDay: number | null;
}

/** What a staff member has set; null means "use the configured default". */
export type BookingRuleOverrides = { readonly [K in keyof BookingRules]: BookingRules[K] | null };

export const APPOINTMENT_STATUSES = ['scheduled', 'completed', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const MAX_APPOINTMENT_MINUTES = 24 * 60;
export const MAX_BUFFER_MINUTES = 24 * 60;
/**
 * The longest buffered interval there can be. Overlap queries use it as a lower bound on
 * `buffered_start`, so an index range scan stays short however long a calendar's history grows.
 */
export const MAX_BUFFERED_SPAN_MS = (MAX_APPOINTMENT_MINUTES + 2 * MAX_BUFFER_MINUTES) * 60_000;

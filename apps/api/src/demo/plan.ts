/**
 * Turns the relative demo content into instants around `now`, checked by the same domain rules as
 * booking (availability, holidays, buffers, no overlaps), so the demo is data the API could have made.
 */
import {
  addDays,
  availabilityWindows,
  dayOfWeek,
  DomainError,
  localDate,
  MINUTE_MS,
  normalizeTime,
  parseRequestDateTime,
  resolveBookingRules,
  rulesForService,
  validateBooking,
  type Appointment,
  type AvailabilityRule,
  type BookingRules,
  type Interval,
} from '@appointments/domain';
import { DEMO_APPOINTMENTS, DEMO_SERVICES, DEMO_STAFF, type ClientKey, type DemoService, type DemoStaff, type DemoWhen, type ServiceKey, type StaffKey } from './data.ts';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Where an appointment is: what booking it, or moving it, writes. */
export type Span = Pick<Appointment, 'start' | 'end' | 'bufferedStart' | 'bufferedEnd'>;

/** What happened after booking; `by` is whose account acted. */
export type PlannedChange =
  | { readonly kind: 'completed' | 'no_show'; readonly at: number; readonly by: 'staff'; readonly reason: null }
  | { readonly kind: 'cancelled'; readonly at: number; readonly by: 'client' | 'staff'; readonly reason: string }
  | { readonly kind: 'rescheduled'; readonly at: number; readonly by: 'client'; readonly reason: string; readonly to: Span };

export interface PlannedAppointment {
  readonly staff: StaffKey;
  readonly client: ClientKey;
  readonly service: ServiceKey | null;
  readonly notes: string | null;
  readonly bookedAt: number;
  /** Where it was booked; a reschedule moves it to `change.to`. */
  readonly booked: Span;
  readonly change: PlannedChange | null;
}

export interface DemoPlan {
  /** Rounded down to the hour: demo times look hand-made, and two runs in one hour agree. */
  readonly now: number;
  /** Each staff member's availability entries, holiday included. */
  readonly rules: ReadonlyMap<StaffKey, AvailabilityRule[]>;
  readonly appointments: readonly PlannedAppointment[];
}

const NO_OVERRIDES = { bufferBeforeMinutes: null, bufferAfterMinutes: null, minNoticeMinutes: null, maxAdvanceDays: null, slotIntervalMinutes: null, maxBookingsPerDay: null };

/** The `count`-th day from `today` (never today) that is a working day, or a Saturday; skipping the holiday. */
function countDays(today: string, count: number, saturday: boolean, holiday: string | null): string {
  let date = today;
  for (let left = Math.abs(count); left > 0; ) {
    date = addDays(date, Math.sign(count));
    const weekday = dayOfWeek(date);
    if ((saturday ? weekday === 5 : weekday < 5) && date !== holiday) left--;
  }
  return date;
}

function staffRules(staff: DemoStaff, holiday: string): AvailabilityRule[] {
  const weekly = staff.hours.flatMap(({ days, from, to }) =>
    days.map((dayOfWeek): AvailabilityRule => ({ kind: 'available', type: 'weekly', dayOfWeek, startTime: normalizeTime(from), endTime: normalizeTime(to) })),
  );
  return [...weekly, { kind: 'unavailable', type: 'date', date: holiday, startTime: '00:00:00', endTime: '24:00:00' }];
}

interface Calendar {
  readonly rules: AvailabilityRule[];
  /** The instants `when` names in the staff member's zone. */
  interval(when: DemoWhen, minutes: number): Interval;
  /**
   * Checks a booking of `service` made at `at` as the API would, and keeps its time taken; returns
   * the buffered span. Another seat of a group session already booked shares its span.
   */
  book(interval: Interval, at: number, service: DemoService | null): Span;
}

function staffCalendar(staff: DemoStaff, now: number, defaults: BookingRules, minMinutes: number): Calendar {
  const today = localDate(now, staff.timezone);
  const holiday = countDays(today, staff.holidayInWorkdays, false, null);
  const rules = staffRules(staff, holiday);
  const booking = resolveBookingRules({ ...NO_OVERRIDES, ...staff.settings }, defaults);
  // Every span ever held, cancelled or vacated ones too: no two demo appointments overlap at all,
  // except the seats of one group session.
  const taken: Interval[] = [];
  const sessions = new Map<string, Span>();
  return {
    rules,
    interval: (when, minutes) => {
      const start = parseRequestDateTime(`${countDays(today, when.day, when.saturday ?? false, holiday)}T${when.at}`, staff.timezone);
      return { start, end: start + minutes * MINUTE_MS };
    },
    book: ({ start, end }, at, service) => {
      const session = service && service.capacity > 1 ? `${service.key}/${start}/${end}` : null;
      const seat = session === null ? undefined : sessions.get(session);
      if (seat) return seat;
      const date = localDate(start, staff.timezone);
      const { windows, blocked } = availabilityWindows(rules, staff.timezone, addDays(date, -1), addDays(date, 1));
      try {
        const rules = rulesForService(booking, service && { bufferBeforeMinutes: null, bufferAfterMinutes: null, ...service });
        const buffered = validateBooking({ start, end, now: at, rules, minMinutes, windows, blocked, busy: taken, clientBlocked: false });
        taken.push({ start: buffered.bufferedStart, end: buffered.bufferedEnd });
        const span = { start, end, ...buffered };
        if (session !== null) sessions.set(session, span);
        return span;
      } catch (error) {
        // A mistake in data.ts, or a configured default (notice, horizon) that forbids it: say which.
        const why = error instanceof DomainError ? error.message : String(error);
        throw new Error(`demo appointment of ${staff.key} at ${new Date(start).toISOString()} cannot be booked: ${why}`, { cause: error });
      }
    },
  };
}

export function planDemo(clock: Date, defaults: BookingRules, minMinutes: number): DemoPlan {
  const now = Math.floor(clock.getTime() / HOUR_MS) * HOUR_MS;
  const rules = new Map<StaffKey, AvailabilityRule[]>();
  const calendars = new Map<StaffKey, Calendar>();
  for (const staff of DEMO_STAFF) {
    const calendar = staffCalendar(staff, now, defaults, minMinutes);
    rules.set(staff.key, calendar.rules);
    calendars.set(staff.key, calendar);
  }

  const appointments = DEMO_APPOINTMENTS.map((spec): PlannedAppointment => {
    const calendar = calendars.get(spec.staff)!;
    const outcome = spec.outcome;
    const service: DemoService | null = DEMO_SERVICES.find((s) => s.key === spec.service) ?? null;
    if (service && (service.minutes !== spec.minutes || !(service.staff as readonly StaffKey[]).includes(spec.staff))) {
      throw new Error(`demo appointment of ${spec.staff} does not fit the service ${service.key}`);
    }
    const first = calendar.interval(outcome.kind === 'rescheduled' ? outcome.from : spec.when, spec.minutes);
    // Booked four days before the start, or four days ago for future appointments.
    const bookedAt = Math.min(first.start, now) - 4 * DAY_MS;
    const booked = calendar.book(first, bookedAt, service);
    const base = { staff: spec.staff, client: spec.client, service: spec.service ?? null, notes: spec.notes ?? null, bookedAt, booked };
    const expect = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`demo appointment of ${spec.staff} at ${new Date(booked.start).toISOString()} should be ${what}`);
    };
    switch (outcome.kind) {
      case 'scheduled':
        expect(booked.start > now, 'in the future');
        return { ...base, change: null };
      case 'completed':
      case 'no_show': {
        // Marked by the staff member half an hour after the end.
        const at = booked.end + 30 * MINUTE_MS;
        expect(at <= now, 'over');
        return { ...base, change: { kind: outcome.kind, at, by: 'staff', reason: null } };
      }
      case 'cancelled':
        return { ...base, change: { kind: 'cancelled', at: Math.min(booked.start, now) - DAY_MS, by: outcome.by, reason: outcome.reason } };
      case 'rescheduled': {
        const at = now - 2 * DAY_MS;
        const to = calendar.book(calendar.interval(spec.when, spec.minutes), at, service);
        expect(booked.start > now && to.start > now, 'in the future');
        return { ...base, change: { kind: 'rescheduled', at, by: 'client', reason: outcome.reason, to } };
      }
    }
  });
  return { now, rules, appointments };
}

/**
 * Slots of a service, on top of computeSlots: seats of a group occurrence are shared, a daily cap
 * closes a full day, and the lists of several staff members merge into one answer.
 */
import { availabilityWindows } from '../availability/windows.ts';
import type { StaffSchedule } from '../booking/judge.ts';
import { occurrenceKey, rulesForService, type Service } from '../services/service.ts';
import type { BookingRules, Instant, Interval } from '../scheduling/types.ts';
import { MINUTE_MS } from '../time/calendar.ts';
import { wallClockToInstant } from '../time/convert.ts';
import { computeSlots, UNLIMITED, type SlotQuery } from './compute.ts';
import { bookingLimits, slotStepMs } from './rules.ts';

/** A scheduled appointment's stored buffered interval and the group occurrence it holds a seat of (null: one-to-one). */
export interface OccupiedInterval extends Interval {
  readonly occurrence: string | null;
}

export interface SeatedSlot extends Interval {
  /** Free seats: the capacity less the seats already taken at exactly this start and end. */
  readonly seatsLeft: number;
}

export interface ServiceSlotQuery extends Omit<SlotQuery, 'busy'> {
  readonly busy: readonly OccupiedInterval[];
  readonly service: Pick<Service, 'id' | 'capacity'>;
}

/**
 * computeSlots for a booking of `service`, as the database's guards judge one: an appointment of
 * the occurrence a slot would join (same service, start and end) takes a seat instead of blocking,
 * and a full occurrence is not offered; every other appointment blocks, buffered, as usual. The
 * appointments that belong to any occurrence are checked in a second sweep over the candidates
 * clear of the rest, keeping only those overlapping the current candidate (a handful).
 */
export function computeServiceSlots(q: ServiceSlotQuery): SeatedSlot[] {
  const { service, bufferBeforeMs: before, bufferAfterMs: after } = q;
  const shared = q.busy.filter((b) => b.occurrence !== null).sort((a, b) => a.start - b.start);
  const candidates = computeSlots({ ...q, busy: shared.length === 0 ? q.busy : q.busy.filter((b) => b.occurrence === null) });
  const slots: SeatedSlot[] = [];
  const active: OccupiedInterval[] = [];
  let next = 0;
  for (const slot of candidates) {
    const from = slot.start - before;
    const to = slot.end + after;
    while (next < shared.length && shared[next]!.start < to) active.push(shared[next++]!);
    let kept = 0;
    for (const b of active) if (b.end > from) active[kept++] = b;
    active.length = kept;
    const key = occurrenceKey(service, slot.start, slot.end);
    let taken = 0;
    let blocked = false;
    for (const b of active) {
      if (b.occurrence === key) taken++;
      else blocked = true;
    }
    if (!blocked && taken < service.capacity) slots.push({ start: slot.start, end: slot.end, seatsLeft: service.capacity - taken });
  }
  return slots;
}

/** A local date, as instants, with the bookings a daily cap still allows on it. */
export interface DayAllowance extends Interval {
  readonly left: number;
}

/**
 * The local dates (in `zone`) with scheduled appointments, as the instants of each and how many
 * more bookings the daily cap allows on it (none left: the database refuses one more), sorted.
 * Without a cap, none.
 */
export function dayAllowances(bookingsByDate: Iterable<readonly [date: string, count: number]>, cap: number | null, zone: string): DayAllowance[] {
  if (cap === null) return [];
  const days: DayAllowance[] = [];
  for (const [date, count] of bookingsByDate) {
    days.push({ start: wallClockToInstant(date, '00:00:00', zone, 'start'), end: wallClockToInstant(date, '24:00:00', zone, 'end'), left: Math.max(0, cap - count) });
  }
  return days.sort((a, b) => a.start - b.start);
}

/**
 * `slots` (sorted by start) within a daily cap (`days` from dayAllowances): none starting on a day
 * the cap has filled and, for slots with seats, no more seats than the bookings it still allows
 * on the slot's day (`cap` on a day without any), since each seat is one.
 */
export function withinDailyCap<T extends Interval & { readonly seatsLeft?: number }>(slots: readonly T[], days: readonly DayAllowance[], cap: number | null): T[] {
  if (cap === null) return [...slots];
  const kept: T[] = [];
  let d = 0;
  for (const slot of slots) {
    while (d < days.length && days[d]!.end <= slot.start) d++;
    const day = days[d];
    const left = day !== undefined && day.start <= slot.start ? day.left : cap;
    if (left > 0) kept.push(slot.seatsLeft === undefined || slot.seatsLeft <= left ? slot : { ...slot, seatsLeft: left });
  }
  return kept;
}

export interface StaffServiceSlotsQuery {
  readonly zone: string;
  readonly schedule: StaffSchedule;
  readonly service: Pick<Service, 'id' | 'durationMinutes' | 'capacity' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>;
  /** Local dates in `zone`, inclusive. */
  readonly fromDate: string;
  readonly toDate: string;
  readonly busy: readonly OccupiedInterval[];
  /** Their scheduled appointments per local date (only needed with a daily cap). */
  readonly bookingsByDate: Iterable<readonly [date: string, count: number]>;
}

/**
 * One staff member's slots of a service for local dates, whatever the time (notice and horizon are
 * left to each request, as slotsWithin applies them to `booking`): the service's duration and
 * buffers (rulesForService), stepping by the staff member's slot interval if set, else by the
 * duration; group seats shared; within their daily cap (withinDailyCap).
 */
export function staffServiceSlots(q: StaffServiceSlotsQuery): { booking: BookingRules; slots: SeatedSlot[] } {
  const booking = rulesForService(q.schedule.booking, q.service);
  const { windows, blocked } = availabilityWindows(q.schedule.rules, q.zone, q.fromDate, q.toDate);
  const durationMs = q.service.durationMinutes * MINUTE_MS;
  const limits = bookingLimits(booking, 0);
  const slots = computeServiceSlots({ windows, blocked, busy: q.busy, durationMs, stepMs: slotStepMs(booking, durationMs), ...limits, ...UNLIMITED, service: q.service });
  const cap = booking.maxBookingsPerDay;
  return { booking, slots: withinDailyCap(slots, dayAllowances(q.bookingsByDate, cap, q.zone), cap) };
}

export interface StaffSlots {
  readonly staffId: number;
  /** Sorted by start. */
  readonly slots: readonly SeatedSlot[];
}

export interface MergedSlot extends Interval {
  /** Ascending. */
  readonly staffIds: number[];
  /** The free seats of all of them together. */
  readonly seatsLeft: number;
}

/**
 * One slot per distinct start and end, naming every staff member offering it, sorted by start then
 * end: linear in the slots plus a sort of the distinct ones.
 */
export function mergeStaffSlots(lists: readonly StaffSlots[]): MergedSlot[] {
  const byInterval = new Map<Instant, Map<Instant, { staffIds: number[]; seatsLeft: number }>>();
  for (const { staffId, slots } of [...lists].sort((a, b) => a.staffId - b.staffId)) {
    for (const slot of slots) {
      let byEnd = byInterval.get(slot.start);
      if (!byEnd) byInterval.set(slot.start, (byEnd = new Map()));
      const merged = byEnd.get(slot.end);
      if (merged) {
        merged.staffIds.push(staffId);
        merged.seatsLeft += slot.seatsLeft;
      } else byEnd.set(slot.end, { staffIds: [staffId], seatsLeft: slot.seatsLeft });
    }
  }
  const out: MergedSlot[] = [];
  for (const start of [...byInterval.keys()].sort((a, b) => a - b)) {
    const byEnd = byInterval.get(start)!;
    for (const end of [...byEnd.keys()].sort((a, b) => a - b)) out.push({ start, end, ...byEnd.get(end)! });
  }
  return out;
}

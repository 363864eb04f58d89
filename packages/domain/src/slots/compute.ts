/**
 * Free slots as one forward sweep: candidates only move forward in time, so pointers into the
 * sorted blocked and busy lists only move forward too, and a conflict jumps the candidate straight
 * past it. O(n log n) for the sorts, then linear in windows + blocked + busy + slots.
 */
import { DomainError } from '../errors.ts';
import { normalizeIntervals } from '../scheduling/intervals.ts';
import { MAX_APPOINTMENT_MINUTES, type Instant, type Interval } from '../scheduling/types.ts';

export interface SlotQuery {
  /** Available time, as availabilityWindows returns it (sorted, disjoint). */
  readonly windows: readonly Interval[];
  readonly blocked: readonly Interval[];
  /** Stored buffered intervals of scheduled appointments, in any order. */
  readonly busy: readonly Interval[];
  readonly durationMs: number;
  readonly stepMs: number;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  readonly earliestStart: Instant;
  readonly latestStart: Instant;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new DomainError('SLOTS.INVALID_RANGE', message);
}

/** Every bookable [start, start + duration) on each window's grid, sorted by start. */
export function computeSlots(q: SlotQuery): Interval[] {
  check(Number.isSafeInteger(q.durationMs) && q.durationMs > 0, 'Slot duration must be a positive whole number of milliseconds');
  check(Number.isSafeInteger(q.stepMs) && q.stepMs > 0, 'Slot interval must be a positive whole number of milliseconds');
  check(q.bufferBeforeMs >= 0 && q.bufferAfterMs >= 0, 'Buffers cannot be negative');
  if (q.durationMs > MAX_APPOINTMENT_MINUTES * 60_000) {
    throw new DomainError('APPOINTMENT.TOO_LONG', `An appointment lasts at most ${MAX_APPOINTMENT_MINUTES} minutes`);
  }
  const { durationMs: dur, stepMs: step, bufferBeforeMs: before, bufferAfterMs: after, earliestStart, latestStart } = q;
  // Merged (touching windows join, so a slot may span them); no copy when already merged.
  const windows = normalizeIntervals(q.windows);
  const blocked = normalizeIntervals(q.blocked);
  const busy = normalizeIntervals(q.busy);

  const slots: Interval[] = [];
  let bi = 0;
  let pi = 0;
  for (const w of windows) {
    const last = Math.min(w.end - dur, latestStart);
    // First grid point at or after `from`, anchored at the window start.
    const gridFrom = (from: number): number => (from <= w.start ? w.start : w.start + Math.ceil((from - w.start) / step) * step);
    let s = gridFrom(earliestStart);
    while (s <= last) {
      const e = s + dur;
      while (bi < blocked.length && blocked[bi]!.end <= s) bi++;
      const b = blocked[bi];
      if (b !== undefined && b.start < e) {
        s = gridFrom(b.end);
        continue;
      }
      while (pi < busy.length && busy[pi]!.end <= s - before) pi++;
      const p = busy[pi];
      if (p !== undefined && p.start < e + after) {
        s = gridFrom(p.end + before);
        continue;
      }
      slots.push({ start: s, end: e });
      s += step;
    }
  }
  return slots;
}

/** No notice, no horizon: every slot of the windows, whatever the time. */
export const UNLIMITED = { earliestStart: -Infinity, latestStart: Infinity } as const;

/**
 * The index range [from, to) of `slots` (computed with UNLIMITED, so sorted by start) that a start
 * between `earliestStart` and `latestStart` allows: exactly what computeSlots would return with
 * those limits. Only the limits move with the clock, so the slots can be computed once and cached,
 * and each request applies its own "now" with two binary searches.
 */
export function slotsWithin(slots: readonly Interval[], limits: { readonly earliestStart: Instant; readonly latestStart: Instant }): [number, number] {
  const firstAfter = (test: (start: Instant) => boolean): number => {
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(slots[mid]!.start)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [firstAfter((start) => start < limits.earliestStart), firstAfter((start) => start <= limits.latestStart)];
}

/**
 * slotsWithin for the limits at `now`, given as offsets from it (bookingLimits(rules, 0)), with the
 * instants around `now` over which that range stays the same, [validFrom, validUntil): an answer
 * built from the range can be served as it is to every request in that span.
 */
export function slotsWithinAt(
  slots: readonly Interval[],
  offsets: { readonly earliestStart: number; readonly latestStart: number },
  now: Instant,
): { range: [number, number]; validFrom: Instant; validUntil: Instant } {
  const range = slotsWithin(slots, { earliestStart: now + offsets.earliestStart, latestStart: now + offsets.latestStart });
  const [from, to] = range;
  const start = (i: number, outside: number) => slots[i]?.start ?? outside;
  // `from` moves once a start leaves [now + earliestStart, …) or enters it; `to` once a start enters (…, now + latestStart] or leaves it.
  const validFrom = Math.max(start(from - 1, -Infinity) - offsets.earliestStart + 1, start(to - 1, -Infinity) - offsets.latestStart);
  const validUntil = Math.min(start(from, Infinity) - offsets.earliestStart + 1, start(to, Infinity) - offsets.latestStart);
  return { range, validFrom, validUntil };
}

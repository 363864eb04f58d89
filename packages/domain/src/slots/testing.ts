/** fast-check arbitraries and a brute-force oracle for slot queries, shared by slots and booking tests. */
import fc from 'fast-check';
import { mergeIntervals } from '../scheduling/intervals.ts';
import type { Interval } from '../scheduling/types.ts';
import type { SlotQuery } from './compute.ts';

const MIN = 60_000;
export const BASE = Date.parse('2026-02-02T00:00:00Z');

/** An interval on a 5-minute grid within ~2 days of BASE, up to `maxMinutes` long. */
export const intervalArb = (maxMinutes: number): fc.Arbitrary<Interval> =>
  fc.tuple(fc.integer({ min: 0, max: 48 * 12 }), fc.integer({ min: 1, max: maxMinutes / 5 })).map(([at, len]) => ({
    start: BASE + at * 5 * MIN,
    end: BASE + (at + len) * 5 * MIN,
  }));

/** Windows as availabilityWindows returns them (merged); the rest as given. */
export const slotQueryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    windows: fc.array(intervalArb(8 * 60), { maxLength: 6 }).map(mergeIntervals),
    blocked: fc.array(intervalArb(3 * 60), { maxLength: 4 }),
    busy: fc.array(intervalArb(3 * 60), { maxLength: 10 }),
    durationMin: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
    stepMin: fc.option(fc.integer({ min: 1, max: 12 }).map((n) => n * 5), { nil: undefined }),
    beforeMin: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
    afterMin: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
    earliest: fc.integer({ min: -60, max: 48 * 60 }),
    horizon: fc.integer({ min: 0, max: 60 * 60 }),
  })
  .map((r) => ({
    windows: r.windows,
    blocked: r.blocked,
    busy: r.busy,
    durationMs: r.durationMin * MIN,
    stepMs: (r.stepMin ?? r.durationMin) * MIN,
    bufferBeforeMs: r.beforeMin * MIN,
    bufferAfterMs: r.afterMin * MIN,
    earliestStart: BASE + r.earliest * MIN,
    latestStart: BASE + (r.earliest + r.horizon) * MIN,
  }));

/** The definition of a slot, checked candidate by candidate against every interval. */
export function bruteForceSlots(q: SlotQuery): Interval[] {
  const hit = (list: readonly Interval[], start: number, end: number) => list.some((x) => x.start < end && start < x.end);
  const out: Interval[] = [];
  for (const w of q.windows) {
    for (let s = w.start; s + q.durationMs <= w.end; s += q.stepMs) {
      const e = s + q.durationMs;
      if (s < q.earliestStart || s > q.latestStart) continue;
      if (hit(q.blocked, s, e) || hit(q.busy, s - q.bufferBeforeMs, e + q.bufferAfterMs)) continue;
      out.push({ start: s, end: e });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

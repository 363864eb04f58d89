import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { occurrenceKey } from '../services/service.ts';
import type { Interval } from '../scheduling/types.ts';
import { UNLIMITED } from './compute.ts';
import { computeServiceSlots, dayAllowances, mergeStaffSlots, withinDailyCap, type OccupiedInterval, type SeatedSlot, type ServiceSlotQuery } from './service.ts';
import { BASE, bruteForceSlots, slotQueryArb } from './testing.ts';

const MIN = 60_000;
const at = (hhmm: string) => BASE + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MIN;
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const group = { id: 7, capacity: 3 };
const seat = (a: string, b: string, service = group): OccupiedInterval => ({ ...iv(a, b), occurrence: occurrenceKey(service, at(a), at(b)) });
const plain = (a: string, b: string): OccupiedInterval => ({ ...iv(a, b), occurrence: null });

const base: ServiceSlotQuery = {
  windows: [iv('09:00', '12:00')],
  blocked: [],
  busy: [],
  durationMs: 60 * MIN,
  stepMs: 60 * MIN,
  bufferBeforeMs: 0,
  bufferAfterMs: 0,
  ...UNLIMITED,
  service: group,
};
const offered = (slots: SeatedSlot[]) => slots.map((s) => `${new Date(s.start).toISOString().slice(11, 16)}:${s.seatsLeft}`);

describe('computeServiceSlots', () => {
  it.each<[string, Partial<ServiceSlotQuery>, string[]]>([
    ['every seat free', {}, ['09:00:3', '10:00:3', '11:00:3']],
    ['seats taken at that very occurrence', { busy: [seat('10:00', '11:00'), seat('10:00', '11:00')] }, ['09:00:3', '10:00:1', '11:00:3']],
    ['a full occurrence left out', { busy: [seat('10:00', '11:00'), seat('10:00', '11:00'), seat('10:00', '11:00')] }, ['09:00:3', '11:00:3']],
    ['a one-to-one appointment blocking', { busy: [plain('10:00', '11:00')] }, ['09:00:3', '11:00:3']],
    ['an occurrence at another time blocking', { busy: [seat('10:30', '11:30')] }, ['09:00:3']],
    ['an occurrence of another service blocking', { busy: [seat('10:00', '11:00', { id: 8, capacity: 3 })] }, ['09:00:3', '11:00:3']],
    ['the stored buffers of a seat not blocking its own occurrence', { busy: [{ ...iv('09:50', '11:10'), occurrence: occurrenceKey(group, at('10:00'), at('11:00')) }] }, ['10:00:2']],
    ['the new slot’s buffers against other seats', { busy: [seat('11:00', '12:00')], bufferAfterMs: 5 * MIN }, ['09:00:3', '11:00:2']],
    ['one seat for a one-to-one service, whose appointments all block', { service: { id: 7, capacity: 1 }, busy: [plain('10:00', '11:00')] }, ['09:00:1', '11:00:1']],
  ])('offers %s', (_, change, expected) => {
    expect(offered(computeServiceSlots({ ...base, ...change }))).toEqual(expected);
  });

  // Seats booked at grid candidates (and some off the grid or of another service), on top of plain busy time.
  const groupQueryArb = slotQueryArb.chain((q) =>
    fc
      .record({
        capacity: fc.integer({ min: 1, max: 4 }),
        seats: fc.array(
          fc.record({ window: fc.nat(), step: fc.integer({ min: 0, max: 8 }), shift: fc.constantFrom(0, 0, 0, 5), service: fc.constantFrom(7, 7, 8), before: fc.integer({ min: 0, max: 3 }), after: fc.integer({ min: 0, max: 3 }), copies: fc.integer({ min: 1, max: 4 }) }),
          { maxLength: 6 },
        ),
      })
      .map(({ capacity, seats }): ServiceSlotQuery => {
        const service = { id: 7, capacity };
        const busy: OccupiedInterval[] = q.busy.map((b) => ({ ...b, occurrence: null }));
        for (const s of seats) {
          const w = q.windows[s.window % Math.max(1, q.windows.length)];
          if (!w) continue;
          const start = w.start + s.step * q.stepMs + s.shift * MIN;
          const end = start + q.durationMs;
          const occurrence = occurrenceKey({ id: s.service, capacity: Math.max(2, capacity) }, start, end);
          for (let c = 0; c < s.copies; c++) busy.push({ start: start - s.before * 5 * MIN, end: end + s.after * 5 * MIN, occurrence });
        }
        return { ...q, busy, service };
      }),
  );

  /** The definition: a grid candidate clear of everything but seats of its own occurrence, which it counts. */
  function bruteForce(q: ServiceSlotQuery): SeatedSlot[] {
    const candidates = bruteForceSlots({ ...q, busy: q.busy.filter((b) => b.occurrence === null) });
    return candidates.flatMap((slot) => {
      const key = occurrenceKey(q.service, slot.start, slot.end);
      const hit = q.busy.filter((b) => b.occurrence !== null && b.start < slot.end + q.bufferAfterMs && slot.start - q.bufferBeforeMs < b.end);
      const taken = hit.filter((b) => b.occurrence === key).length;
      return hit.length === taken && taken < q.service.capacity ? [{ ...slot, seatsLeft: q.service.capacity - taken }] : [];
    });
  }

  it('equals checking every candidate against every appointment (property)', () => {
    fc.assert(
      fc.property(groupQueryArb, (q) => {
        expect(computeServiceSlots(q)).toEqual(bruteForce(q));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('daily caps', () => {
  it('closes the local dates whose bookings reach the cap, in the zone’s own midnights', () => {
    const counts: [string, number][] = [['2026-03-29', 2], ['2026-03-30', 1], ['2026-03-28', 3]];
    const fullDays = (cap: number | null) => dayAllowances(counts, cap, 'Europe/Berlin').flatMap(({ start, end, left }) => (left === 0 ? [{ start, end }] : []));
    expect(fullDays(null)).toEqual([]);
    // 2026-03-29 is a 23-hour day in Berlin.
    expect(fullDays(2)).toEqual([
      { start: Date.parse('2026-03-27T23:00:00Z'), end: Date.parse('2026-03-28T23:00:00Z') },
      { start: Date.parse('2026-03-28T23:00:00Z'), end: Date.parse('2026-03-29T22:00:00Z') },
    ]);
  });

  it('drops the slots starting in a full day, and keeps one starting the evening before that runs into it', () => {
    const day = { start: at('12:00'), end: at('36:00'), left: 0 };
    const slots = [iv('10:00', '11:00'), iv('11:30', '12:30'), iv('12:00', '13:00'), iv('35:00', '36:00'), iv('36:00', '37:00')];
    expect(withinDailyCap(slots, [day], 1)).toEqual([iv('10:00', '11:00'), iv('11:30', '12:30'), iv('36:00', '37:00')]);
    expect(withinDailyCap(slots, [], 1)).toEqual(slots);
  });
});

describe('withinDailyCap', () => {
  const seated = (a: string, b: string, seatsLeft: number): SeatedSlot => ({ ...iv(a, b), seatsLeft });
  const days = dayAllowances([['2026-02-02', 3], ['2026-02-03', 4]], 4, 'UTC');

  it('knows how many bookings each booked day still allows', () => {
    expect(days).toEqual([
      { start: at('00:00'), end: at('24:00'), left: 1 },
      { start: at('24:00'), end: at('48:00'), left: 0 },
    ]);
    expect(dayAllowances([['2026-02-02', 3]], null, 'UTC')).toEqual([]);
  });

  it('offers no more seats than the day allows, none on a full day, and up to the cap on a day without bookings', () => {
    const slots = [seated('09:00', '10:00', 3), seated('23:30', '24:30', 1), seated('33:00', '34:00', 5), seated('57:00', '58:00', 6)];
    expect(withinDailyCap(slots, days, 4)).toEqual([seated('09:00', '10:00', 1), seated('23:30', '24:30', 1), seated('57:00', '58:00', 4)]);
    expect(withinDailyCap(slots, [], null)).toEqual(slots);
  });
});

describe('mergeStaffSlots', () => {
  const listsArb = fc.uniqueArray(
    fc.record({
      staffId: fc.integer({ min: 1, max: 50 }),
      slots: fc.uniqueArray(fc.record({ at: fc.integer({ min: 0, max: 40 }), seatsLeft: fc.integer({ min: 1, max: 5 }) }), { selector: (s) => s.at }),
    }),
    { selector: (l) => l.staffId, maxLength: 8 },
  ).map((lists) =>
    lists.map(({ staffId, slots }) => ({
      staffId,
      slots: slots.sort((a, b) => a.at - b.at).map((s) => ({ start: BASE + s.at * 15 * MIN, end: BASE + s.at * 15 * MIN + 60 * MIN, seatsLeft: s.seatsLeft })),
    })),
  );

  it('names, for every distinct slot, exactly the staff offering it, with their seats summed (property)', () => {
    fc.assert(
      fc.property(listsArb, (lists) => {
        const merged = mergeStaffSlots(lists);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThan(merged[i - 1]!.start);
        const expected = new Map<number, { staffIds: number[]; seatsLeft: number }>();
        for (const { staffId, slots } of lists) {
          for (const s of slots) {
            const entry = expected.get(s.start) ?? { staffIds: [], seatsLeft: 0 };
            entry.staffIds.push(staffId);
            entry.seatsLeft += s.seatsLeft;
            expected.set(s.start, entry);
          }
        }
        expect(merged).toHaveLength(expected.size);
        for (const slot of merged) {
          const want = expected.get(slot.start)!;
          expect(slot).toEqual({ start: slot.start, end: slot.start + 60 * MIN, staffIds: [...want.staffIds].sort((a, b) => a - b), seatsLeft: want.seatsLeft });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('orders slots of one start by end', () => {
    const merged = mergeStaffSlots([
      { staffId: 2, slots: [{ ...iv('09:00', '10:00'), seatsLeft: 1 }] },
      { staffId: 1, slots: [{ ...iv('09:00', '09:30'), seatsLeft: 1 }, { ...iv('09:00', '10:00'), seatsLeft: 1 }] },
    ]);
    expect(merged).toEqual([
      { ...iv('09:00', '09:30'), staffIds: [1], seatsLeft: 1 },
      { ...iv('09:00', '10:00'), staffIds: [1, 2], seatsLeft: 2 },
    ]);
  });
});

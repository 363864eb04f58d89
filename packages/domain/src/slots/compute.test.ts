import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interval } from '../scheduling/types.ts';
import { computeSlots, slotsWithin, slotsWithinAt, UNLIMITED, type SlotQuery } from './compute.ts';
import { BASE, bruteForceSlots, slotQueryArb } from './testing.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const at = (hhmm: string) => BASE + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MIN;
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const starts = (slots: Interval[]) =>
  slots.map((s) => new Date(s.start).toISOString().slice(11, 16));

const base: SlotQuery = {
  windows: [iv('09:00', '12:00')],
  blocked: [],
  busy: [],
  durationMs: 30 * MIN,
  stepMs: 30 * MIN,
  bufferBeforeMs: 0,
  bufferAfterMs: 0,
  earliestStart: at('00:00'),
  latestStart: at('23:59'),
};

describe('computeSlots', () => {
  it.each<[string, Partial<SlotQuery>, string[]]>([
    ['a plain window', {}, ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']],
    ['a longer step than duration', { stepMs: 45 * MIN }, ['09:00', '09:45', '10:30', '11:15']],
    ['overlapping slots when the step is shorter', { durationMs: 60 * MIN, stepMs: 30 * MIN }, ['09:00', '09:30', '10:00', '10:30', '11:00']],
    ['the grid anchored at the window start', { windows: [iv('09:10', '10:30')] }, ['09:10', '09:40']],
    ['a busy interval, touching ones allowed', { busy: [iv('10:00', '10:30')] }, ['09:00', '09:30', '10:30', '11:00', '11:30']],
    ['buffers around the new slot', { busy: [iv('10:00', '10:30')], bufferBeforeMs: 15 * MIN, bufferAfterMs: 1 * MIN }, ['09:00', '11:00', '11:30']],
    ['a blocked interval (no buffers apply to it)', { blocked: [iv('10:15', '10:45')], bufferBeforeMs: 30 * MIN }, ['09:00', '09:30', '11:00', '11:30']],
    ['the grid kept after a conflict', { busy: [iv('09:10', '09:20')], stepMs: 20 * MIN, durationMs: 20 * MIN }, ['09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '11:20', '11:40']],
    ['minimum notice, on the grid', { earliestStart: at('10:05') }, ['10:30', '11:00', '11:30']],
    ['minimum notice exactly on a slot', { earliestStart: at('10:00') }, ['10:00', '10:30', '11:00', '11:30']],
    ['the advance horizon, inclusive', { latestStart: at('10:00') }, ['09:00', '09:30', '10:00']],
    ['a window too short for one slot', { windows: [iv('09:00', '09:29')] }, []],
    ['unsorted busy and several windows', { windows: [iv('09:00', '10:00'), iv('14:00', '15:00')], busy: [iv('14:30', '15:00'), iv('09:00', '09:30')] }, ['09:30', '14:00']],
  ])('offers slots with %s', (_, change, expected) => {
    expect(starts(computeSlots({ ...base, ...change }))).toEqual(expected);
  });

  it('returns each slot as [start, start + duration)', () => {
    expect(computeSlots({ ...base, durationMs: 45 * MIN, stepMs: 60 * MIN })).toEqual([
      { start: at('09:00'), end: at('09:45') },
      { start: at('10:00'), end: at('10:45') },
      { start: at('11:00'), end: at('11:45') },
    ]);
  });

  it('does not mutate its inputs', () => {
    const busy = [iv('11:00', '11:30'), iv('09:00', '09:30')];
    computeSlots({ ...base, busy });
    expect(busy).toEqual([iv('11:00', '11:30'), iv('09:00', '09:30')]);
  });

  it.each<[Partial<SlotQuery>, string]>([
    [{ durationMs: 0 }, 'SLOTS.INVALID_RANGE'],
    [{ stepMs: 0 }, 'SLOTS.INVALID_RANGE'],
    [{ stepMs: -MIN }, 'SLOTS.INVALID_RANGE'],
    [{ stepMs: NaN }, 'SLOTS.INVALID_RANGE'],
    [{ bufferAfterMs: -1 }, 'SLOTS.INVALID_RANGE'],
    [{ durationMs: 24 * 60 * MIN + 1 }, 'APPOINTMENT.TOO_LONG'],
  ])('refuses %j with %s', (change, code) => {
    expect(() => computeSlots({ ...base, ...change })).toThrow(expect.objectContaining({ code }));
  });
});

describe('computeSlots (properties)', () => {
  it('equals checking every grid candidate against every interval', () => {
    fc.assert(
      fc.property(slotQueryArb, (q) => {
        expect(computeSlots(q)).toEqual(bruteForceSlots(q));
      }),
      { numRuns: 1000 },
    );
  });

  it('offers sorted slots inside one window, clear of blocked and buffered busy time', () => {
    fc.assert(
      fc.property(slotQueryArb, (q) => {
        const slots = computeSlots(q);
        slots.forEach((s, i) => {
          expect(s.end - s.start).toBe(q.durationMs);
          if (i > 0) expect(s.start).toBeGreaterThan(slots[i - 1]!.start);
          if (i > 0 && q.stepMs >= q.durationMs) expect(s.start).toBeGreaterThanOrEqual(slots[i - 1]!.end);
          expect(q.windows.some((w) => w.start <= s.start && s.end <= w.end)).toBe(true);
          expect(q.blocked.some((b) => b.start < s.end && s.start < b.end)).toBe(false);
          expect(q.busy.some((b) => b.start < s.end + q.bufferAfterMs && s.start - q.bufferBeforeMs < b.end)).toBe(false);
          expect(s.start).toBeGreaterThanOrEqual(q.earliestStart);
          expect(s.start).toBeLessThanOrEqual(q.latestStart);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never loses a slot when a busy interval is removed, and ignores busy order', () => {
    fc.assert(
      fc.property(slotQueryArb, fc.nat(), (q, pick) => {
        const slots = computeSlots(q);
        const fewer = q.busy.filter((_, i) => i !== pick % Math.max(1, q.busy.length));
        const more = computeSlots({ ...q, busy: fewer });
        for (const s of slots) expect(more).toContainEqual(s);
        expect(computeSlots({ ...q, busy: [...q.busy].reverse() })).toEqual(slots);
      }),
      { numRuns: 500 },
    );
  });
});

describe('slotsWithin', () => {
  it('slicing the unlimited slots by the limits gives exactly what computeSlots gives with them', () => {
    fc.assert(
      fc.property(slotQueryArb, (q) => {
        const all = computeSlots({ ...q, ...UNLIMITED });
        const [from, to] = slotsWithin(all, q);
        expect(all.slice(from, to)).toEqual(computeSlots(q));
      }),
      { numRuns: 500 },
    );
  });

  it('gives an empty range when nothing is allowed, and the whole list when everything is', () => {
    const all = computeSlots({ ...base, ...UNLIMITED });
    expect(slotsWithin(all, { earliestStart: at('12:00'), latestStart: at('23:00') })).toEqual([all.length, all.length]);
    expect(slotsWithin(all, { earliestStart: at('00:00'), latestStart: at('08:00') })).toEqual([0, 0]);
    expect(slotsWithin(all, UNLIMITED)).toEqual([0, all.length]);
    expect(slotsWithin([], UNLIMITED)).toEqual([0, 0]);
  });
});

describe('slotsWithinAt', () => {
  it('gives slotsWithin’s range at `now`, the same range throughout its span, and another just outside it', () => {
    fc.assert(
      fc.property(slotQueryArb, fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (q, nowMin, where) => {
        const all = computeSlots({ ...q, ...UNLIMITED });
        const offsets = { earliestStart: q.earliestStart - BASE, latestStart: q.latestStart - BASE };
        const now = BASE + nowMin * MIN;
        const at = (instant: number) => slotsWithin(all, { earliestStart: instant + offsets.earliestStart, latestStart: instant + offsets.latestStart });
        const { range, validFrom, validUntil } = slotsWithinAt(all, offsets, now);
        expect(range).toEqual(at(now));
        expect(validFrom).toBeLessThanOrEqual(now);
        expect(validUntil).toBeGreaterThan(now);
        if (Number.isFinite(validFrom)) expect(at(validFrom - 1)).not.toEqual(range);
        if (Number.isFinite(validUntil)) expect(at(validUntil)).not.toEqual(range);
        const low = Number.isFinite(validFrom) ? validFrom : now - 10 * DAY;
        const high = Number.isFinite(validUntil) ? validUntil - 1 : now + 10 * DAY;
        expect(at(Math.floor(low + (high - low) * where))).toEqual(range);
        expect(at(low)).toEqual(range);
        expect(at(high)).toEqual(range);
      }),
      { numRuns: 1000 },
    );
  });
});

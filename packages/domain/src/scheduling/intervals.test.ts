import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeIntervals, normalizeIntervals, overlaps } from './intervals.ts';
import type { Interval } from './types.ts';

const iv = (start: number, end: number): Interval => ({ start, end });

describe('mergeIntervals', () => {
  it.each([
    [[], []],
    [[iv(5, 7), iv(1, 3)], [iv(1, 3), iv(5, 7)]],
    [[iv(1, 3), iv(3, 5)], [iv(1, 5)]], // touching join
    [[iv(1, 10), iv(2, 3), iv(4, 12)], [iv(1, 12)]],
    [[iv(4, 4), iv(6, 5), iv(1, 2)], [iv(1, 2)]], // empty and inverted dropped
  ])('merges %j into %j', (input, expected) => {
    expect(mergeIntervals(input)).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const input = [iv(5, 7), iv(1, 3)];
    mergeIntervals(input);
    expect(input).toEqual([iv(5, 7), iv(1, 3)]);
  });

  it('covers exactly the same points, sorted and separated (property)', () => {
    const list = fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 20 })).map(([s, l]) => iv(s, s + l)), { maxLength: 20 });
    fc.assert(
      fc.property(list, (input) => {
        const merged = mergeIntervals(input);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThan(merged[i - 1]!.end);
        for (let p = 0; p < 121; p++) {
          const inInput = input.some((x) => x.start <= p && p < x.end);
          expect(merged.some((x) => x.start <= p && p < x.end)).toBe(inInput);
        }
      }),
    );
  });
});

describe('normalizeIntervals', () => {
  it('hands back an already merged list itself, and merges anything else', () => {
    const merged = [iv(1, 2), iv(3, 4)];
    expect(normalizeIntervals(merged)).toBe(merged);
    for (const list of [[iv(1, 2), iv(2, 4)], [iv(3, 4), iv(1, 2)], [iv(1, 1)], [iv(1, 3), iv(2, 4)]]) {
      expect(normalizeIntervals(list)).not.toBe(list);
      expect(normalizeIntervals(list)).toEqual(mergeIntervals(list));
    }
  });

  it('gives the same union whatever the input order (property)', () => {
    const list = fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -5, max: 300 })).map(([s, l]) => iv(s, s + l)), { maxLength: 60 });
    fc.assert(
      fc.property(list, (input) => {
        const sorted = [...input].sort((a, b) => a.start - b.start);
        expect(mergeIntervals(input)).toEqual(mergeIntervals(sorted));
        expect(normalizeIntervals(input)).toEqual(mergeIntervals(sorted));
      }),
    );
  });
});

describe('overlaps', () => {
  it.each([
    [iv(0, 10), iv(10, 20), false],
    [iv(0, 10), iv(9, 20), true],
    [iv(5, 6), iv(0, 10), true],
    [iv(0, 10), iv(-5, 0), false],
  ])('%j and %j: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});

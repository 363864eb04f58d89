/** Interval algebra the engine sweeps with. All intervals are half-open [start, end). */
import type { Interval } from './types.ts';

/** Already what mergeIntervals returns: non-empty, sorted, separated by gaps. */
function isNormalized(list: readonly Interval[]): boolean {
  let prevEnd = -Infinity;
  for (const iv of list) {
    if (!(iv.start > prevEnd && iv.end > iv.start)) return false;
    prevEnd = iv.end;
  }
  return true;
}

function isSortedByStart(list: readonly Interval[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.start) return false;
  return true;
}

/**
 * Sorted, disjoint union of `list`: overlapping or touching intervals are joined and empty ones
 * dropped. Never mutates the input.
 */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  return isSortedByStart(list) ? mergeSorted(list) : mergeUnsorted(list);
}

/** Like mergeIntervals, but hands back `list` itself when it is already merged (no copy). */
export function normalizeIntervals(list: readonly Interval[]): readonly Interval[] {
  return isNormalized(list) ? list : mergeIntervals(list);
}

function mergeSorted(sorted: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let start = NaN;
  let end = NaN;
  for (const iv of sorted) {
    if (!(iv.end > iv.start)) continue;
    if (iv.start <= end) {
      if (iv.end > end) end = iv.end;
    } else {
      if (!Number.isNaN(start)) out.push({ start, end });
      start = iv.start;
      end = iv.end;
    }
  }
  if (!Number.isNaN(start)) out.push({ start, end });
  return out;
}

/**
 * Starts and ends sorted separately as numbers (a native typed-array sort, no comparator calls):
 * a point is covered while more starts than ends lie at or before it, so the union's pieces open
 * when that count leaves 0 and close when it returns to 0.
 */
function mergeUnsorted(list: readonly Interval[]): Interval[] {
  const starts = new Float64Array(list.length);
  const ends = new Float64Array(list.length);
  let n = 0;
  for (const iv of list) {
    if (!(iv.end > iv.start)) continue;
    starts[n] = iv.start;
    ends[n] = iv.end;
    n++;
  }
  const s = starts.subarray(0, n).sort();
  const e = ends.subarray(0, n).sort();
  const out: Interval[] = [];
  let open = 0;
  let from = 0;
  let j = 0;
  for (let i = 0; i < n; ) {
    // Starts first on ties, so touching intervals join.
    if (s[i]! <= e[j]!) {
      if (open++ === 0) from = s[i]!;
      i++;
    } else {
      if (--open === 0) out.push({ start: from, end: e[j]! });
      j++;
    }
  }
  if (n > 0) out.push({ start: from, end: e[n - 1]! });
  return out;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

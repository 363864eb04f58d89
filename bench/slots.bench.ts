/**
 * Slot engine benchmark, run on demand: `node bench/slots.bench.ts` (not part of `pnpm test`).
 *
 * (a) One staff calendar end to end: availabilityWindows + computeSlots for 30 days in
 *     Europe/Berlin (across the 2026-03-29 DST change), weekly Mon–Fri 09–12 and 13–17, 20 date
 *     overrides, 200 booked appointments. Project goal: ≤ 150 µs.
 * (b) The ceiling: plain JS subtracting 200 pre-sorted busy intervals from 30 days of 30-minute
 *     UTC slots, no zones, no rules. Nothing real can beat it; the ratio says what zones, rules and
 *     buffers cost on top.
 */
import {
  addDays,
  availabilityWindows,
  bookingLimits,
  computeSlots,
  slotStepMs,
  wallClockToInstant,
  type AvailabilityRule,
  type BookingRules,
  type Interval,
} from '@appointments/domain';
import { rng } from './lib/random.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const ZONE = 'Europe/Berlin';
const FROM = '2026-03-16';
const TO = addDays(FROM, 29);

// Every run benchmarks the same calendar.
const random = rng(42);
const pickInt = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const rules: AvailabilityRule[] = [0, 1, 2, 3, 4].flatMap((dayOfWeek) => [
  { kind: 'available', type: 'weekly', dayOfWeek, startTime: '09:00:00', endTime: '12:00:00' } as const,
  { kind: 'available', type: 'weekly', dayOfWeek, startTime: '13:00:00', endTime: '17:00:00' } as const,
]);
// 20 overrides on distinct days: extra hours (evenings, Saturdays) and time off (afternoons, whole days).
const overrideDays = new Set<number>();
while (overrideDays.size < 20) overrideDays.add(pickInt(0, 29));
[...overrideDays].forEach((offset, i) => {
  const date = addDays(FROM, offset);
  const [kind, startTime, endTime] = (
    [
      ['available', '17:00:00', '19:30:00'],
      ['available', '10:00:00', '14:00:00'],
      ['unavailable', '13:00:00', '17:00:00'],
      ['unavailable', '00:00:00', '24:00:00'],
    ] as const
  )[i % 4]!;
  rules.push({ kind, type: 'date', date, startTime, endTime });
});

const booking: BookingRules = { bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minNoticeMinutes: 120, maxAdvanceDays: 60, slotIntervalMinutes: 15, maxBookingsPerDay: null };
const now = wallClockToInstant(FROM, '08:00', ZONE, 'start');
const durationMs = 30 * MIN;

// 200 existing appointments inside the month's working hours, stored with their buffers.
const { windows: allWindows } = availabilityWindows(rules, ZONE, FROM, TO);
const busy: Interval[] = [];
while (busy.length < 200) {
  const w = allWindows[pickInt(0, allWindows.length - 1)]!;
  const quarters = Math.floor((w.end - w.start - durationMs) / (15 * MIN));
  if (quarters < 0) continue;
  const start = w.start + pickInt(0, quarters) * 15 * MIN;
  busy.push({ start: start - 5 * MIN, end: start + durationMs + 10 * MIN });
}
// Stored rows come back in any order; the engine sorts.
for (let i = busy.length - 1; i > 0; i--) {
  const j = pickInt(0, i);
  [busy[i], busy[j]] = [busy[j]!, busy[i]!];
}

function calendar(): Interval[] {
  const { windows, blocked } = availabilityWindows(rules, ZONE, FROM, TO);
  return computeSlots({ windows, blocked, busy, durationMs, stepMs: slotStepMs(booking, durationMs), ...bookingLimits(booking, now) });
}
function windowsOnly(): unknown {
  return availabilityWindows(rules, ZONE, FROM, TO);
}
const expanded = availabilityWindows(rules, ZONE, FROM, TO);
function slotsOnly(): Interval[] {
  return computeSlots({ ...expanded, busy, durationMs, stepMs: slotStepMs(booking, durationMs), ...bookingLimits(booking, now) });
}

// (b) The ceiling: 30 × 48 half-hour UTC slots minus 200 sorted busy intervals, one sweep.
const ceilingBase = Date.UTC(2026, 2, 16);
const ceilingBusy: Interval[] = busy.map((b) => ({ start: b.start - (b.start % (30 * MIN)), end: b.end })).sort((a, b) => a.start - b.start);
function ceiling(): number[] {
  const out: number[] = [];
  let p = 0;
  for (let s = ceilingBase, end = ceilingBase + 30 * DAY; s < end; s += 30 * MIN) {
    const e = s + 30 * MIN;
    while (p < ceilingBusy.length && ceilingBusy[p]!.end <= s) p++;
    const b = ceilingBusy[p];
    if (b === undefined || b.start >= e) out.push(s);
  }
  return out;
}

let sink = 0;
/** Median, p10 and p90 of µs per call over `samples` batches of `batch` calls, after a warm-up. */
function measure(fn: () => unknown, batch: number, samples = 300): { median: number; p10: number; p90: number } {
  // Results feed `sink` so the JIT cannot drop the work.
  for (let i = 0; i < 3000; i++) sink += fn() === undefined ? 0 : 1;
  const perCall: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink += fn() === undefined ? 0 : 1;
    perCall.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  perCall.sort((a, b) => a - b);
  const at = (q: number) => perCall[Math.floor(q * (perCall.length - 1))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const slotCount = calendar().length;
const results = [
  ['(a) calendar: availabilityWindows + computeSlots', measure(calendar, 50)],
  ['    of which availabilityWindows', measure(windowsOnly, 50)],
  ['    of which computeSlots', measure(slotsOnly, 50)],
  ['(b) ceiling: UTC half-hours minus sorted busy', measure(ceiling, 500)],
] as const;

const fmt = (n: number) => n.toFixed(2).padStart(8);
console.log(`30 days ${FROM}..${TO} in ${ZONE}: ${rules.length} rules (20 overrides), ${busy.length} bookings, ${expanded.windows.length} windows, ${slotCount} slots offered`);
console.log(`${'case'.padEnd(52)} ${'median µs'.padStart(10)} ${'p10'.padStart(8)} ${'p90'.padStart(8)}`);
for (const [name, r] of results) console.log(`${name.padEnd(52)} ${fmt(r.median).padStart(10)} ${fmt(r.p10)} ${fmt(r.p90)}`);
const a = results[0][1].median;
const b = results[3][1].median;
console.log(`ratio (a)/(b): ${(a / b).toFixed(1)}×   budget 150 µs per calendar: ${a <= 150 ? 'met' : 'OVER'}   (${sink} calls)`);

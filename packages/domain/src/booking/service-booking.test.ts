import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { parseRequestDateTime, localDate } from '../time/convert.ts';
import { addDays } from '../time/calendar.ts';
import { appointmentEnd, assertMayMoveTo, assertOffers, assignmentOrder, isCandidateRefusal, noCandidateLeft, possibleLocalDates, type Candidate } from './service-booking.ts';

const MIN = 60_000;
const service = { id: 7, durationMinutes: 45, capacity: 1, bufferBeforeMinutes: null, bufferAfterMinutes: null };

/** Distinct staff ids with any day counts. */
const candidatesArb = fc.uniqueArray(fc.record({ staffId: fc.integer({ min: 1, max: 10_000 }), booked: fc.integer({ min: 0, max: 20 }) }), {
  selector: (candidate) => candidate.staffId,
  maxLength: 30,
});

describe('possibleLocalDates', () => {
  it('holds the local date of a requested start in any zone, whatever offset it was written with', () => {
    const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Etc/GMT+12', 'Etc/GMT-14', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
    const offsets = ['', 'Z', '+14:00', '-12:00', '+05:30', '-03:00'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 1439 }), fc.constantFrom(...offsets), fc.constantFrom(...zones), (day, minute, offset, zone) => {
        const date = addDays('2030-01-01', day);
        const start = `${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00${offset}`;
        let instant: number;
        try {
          instant = parseRequestDateTime(start, zone);
        } catch {
          return; // a wall-clock time the zone skips: refused anyway
        }
        const [from, to] = possibleLocalDates(start)!;
        const local = localDate(instant, zone);
        expect(local >= from && local <= to, `${start} in ${zone} is ${local}`).toBe(true);
      }),
    );
    expect(possibleLocalDates('not a time')).toBeUndefined();
  });
});

describe('appointmentEnd', () => {
  it('a service fixes the end at start plus its duration; an end given must agree', () => {
    expect(appointmentEnd(service, 0, undefined)).toBe(45 * MIN);
    expect(appointmentEnd(service, 0, 45 * MIN)).toBe(45 * MIN);
    for (const end of [44 * MIN, 60 * MIN, -MIN]) expect(() => appointmentEnd(service, 0, end)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.DURATION_MISMATCH' }));
  });

  it('without a service the end is as given, and required', () => {
    expect(appointmentEnd(null, 0, 30 * MIN)).toBe(30 * MIN);
    expect(() => appointmentEnd(null, 0, undefined)).toThrow(expect.objectContaining({ code: 'VALIDATION.FAILED' }));
  });
});

describe('who offers and who may move', () => {
  it('refuses a staff member who does not offer the service', () => {
    expect(() => assertOffers({ id: 1, staffIds: [2, 3] }, 3)).not.toThrow();
    expect(() => assertOffers({ id: 1, staffIds: [2, 3] }, 4)).toThrow(expect.objectContaining({ code: 'SERVICE.NOT_OFFERED' }));
  });

  it('lets clients and admins move to anyone, a staff member only to themselves', () => {
    expect(() => assertMayMoveTo({ id: 1, role: 'client' }, 5)).not.toThrow();
    expect(() => assertMayMoveTo({ id: 1, role: 'admin' }, 5)).not.toThrow();
    expect(() => assertMayMoveTo({ id: 5, role: 'staff' }, 5)).not.toThrow();
    expect(() => assertMayMoveTo({ id: 4, role: 'staff' }, 5)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });
});

describe('assignmentOrder', () => {
  it('is a permutation of the candidates, sorted by day count, then id', () => {
    fc.assert(
      fc.property(candidatesArb, (candidates) => {
        const order = assignmentOrder(candidates);
        expect([...order].sort((a, b) => a - b)).toEqual(candidates.map((c) => c.staffId).sort((a, b) => a - b));
        const booked = new Map(candidates.map((c) => [c.staffId, c.booked]));
        for (let i = 1; i < order.length; i++) {
          const [before, after] = [order[i - 1]!, order[i]!];
          expect(booked.get(before)! < booked.get(after)! || (booked.get(before) === booked.get(after) && before < after)).toBe(true);
        }
      }),
    );
  });

  it('does not depend on the order candidates come in', () => {
    fc.assert(fc.property(candidatesArb, fc.integer(), (candidates, seed) => {
      const shuffled = [...candidates].sort((a, b) => ((a.staffId * 7919 + seed) % 101) - ((b.staffId * 7919 + seed) % 101));
      expect(assignmentOrder(shuffled)).toEqual(assignmentOrder(candidates));
    }));
  });

  it('booking the first candidate again and again spreads a day evenly, whatever the day held before', () => {
    fc.assert(
      fc.property(candidatesArb.filter((c) => c.length > 0), fc.integer({ min: 1, max: 200 }), (start, bookings) => {
        const booked = new Map(start.map((c) => [c.staffId, c.booked]));
        for (let i = 0; i < bookings; i++) {
          const first = assignmentOrder([...booked].map(([staffId, n]) => ({ staffId, booked: n })))[0]!;
          booked.set(first, booked.get(first)! + 1);
        }
        // Each booking goes to a least-booked candidate: once the day is level it stays within one.
        const counts = [...booked.values()];
        const total = start.reduce((sum, c) => sum + c.booked, 0) + bookings;
        const level = Math.max(...start.map((c) => c.booked)) * start.length <= total;
        if (level) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(Math.max(...counts)).toBe(Math.max(Math.max(...start.map((c) => c.booked)), Math.ceil(total / start.length)));
      }),
    );
  });

  it('from an empty day, n bookings across k staff give each floor(n/k) or ceil(n/k), the lower ids the extra', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 100 }), (ids, n) => {
        let candidates: Candidate[] = ids.map((staffId) => ({ staffId, booked: 0 }));
        for (let i = 0; i < n; i++) {
          const first = assignmentOrder(candidates)[0];
          candidates = candidates.map((c) => (c.staffId === first ? { ...c, booked: c.booked + 1 } : c));
        }
        const sorted = [...candidates].sort((a, b) => a.staffId - b.staffId);
        sorted.forEach((c, i) => expect(c.booked).toBe(Math.floor(n / ids.length) + (i < n % ids.length ? 1 : 0)));
      }),
    );
  });
});

describe('when candidates refuse', () => {
  const refusal = (code: 'APPOINTMENT.SLOT_TAKEN' | 'APPOINTMENT.FULLY_BOOKED' | 'APPOINTMENT.OUTSIDE_AVAILABILITY') => new DomainError(code, code);

  it('tells refusals of one candidate from refusals of the request', () => {
    expect(isCandidateRefusal(refusal('APPOINTMENT.FULLY_BOOKED'))).toBe(true);
    expect(isCandidateRefusal(new DomainError('APPOINTMENT.CLIENT_BLOCKED', 'blocked'))).toBe(false);
    expect(isCandidateRefusal(new DomainError('APPOINTMENT.CLIENT_BUSY', 'busy'))).toBe(false);
    expect(isCandidateRefusal(new Error('boom'))).toBe(false);
  });

  it('answers their common refusal, SLOT_TAKEN when they differ, NOT_OFFERED when there were none', () => {
    const full = refusal('APPOINTMENT.FULLY_BOOKED');
    expect(noCandidateLeft(1, [full])).toBe(full);
    expect(noCandidateLeft(1, [full, refusal('APPOINTMENT.FULLY_BOOKED')])).toBe(full);
    expect(noCandidateLeft(1, [full, refusal('APPOINTMENT.OUTSIDE_AVAILABILITY')]).code).toBe('APPOINTMENT.SLOT_TAKEN');
    expect(noCandidateLeft(1, []).code).toBe('SERVICE.NOT_OFFERED');
  });
});

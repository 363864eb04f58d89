import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import type { BookingRules } from '../scheduling/types.ts';
import {
  assertServiceDuration,
  assertServiceStaff,
  assertServiceVisible,
  capacitySchema,
  currencySchema,
  normalizeStaffIds,
  occurrenceKey,
  rulesForService,
  serviceBufferSchema,
  serviceDurationSchema,
  type Service,
} from './service.ts';

const code = (work: () => void) => {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : error;
  }
  return undefined;
};
const service = (isActive: boolean): Service => ({
  id: 1, name: 'Haircut', description: null, durationMinutes: 30, location: null, priceCents: 0, currency: 'EUR',
  bufferBeforeMinutes: null, bufferAfterMinutes: null, capacity: 1, reminderLeadMinutes: null, staffIds: [], isActive,
});

describe('service fields', () => {
  it('takes whole minutes up to a day, capacity 1..1000, upper-case ISO 4217 codes, buffers within bounds', () => {
    expect([30, 1440].map((m) => serviceDurationSchema.safeParse(m).success)).toEqual([true, true]);
    expect([0, 1441, 30.5].map((m) => serviceDurationSchema.safeParse(m).success)).toEqual([false, false, false]);
    expect([1, 1000].map((c) => capacitySchema.safeParse(c).success)).toEqual([true, true]);
    expect([0, 1001].map((c) => capacitySchema.safeParse(c).success)).toEqual([false, false]);
    expect(['EUR', 'eur', 'EURO', 'E1R'].map((c) => currencySchema.safeParse(c).success)).toEqual([true, false, false, false]);
    expect([0, 1440, -1, 1441].map((b) => serviceBufferSchema.safeParse(b).success)).toEqual([true, true, false, false]);
  });

  it('refuses a duration shorter than the shortest appointment', () => {
    expect(code(() => assertServiceDuration(15, 15))).toBeUndefined();
    expect(code(() => assertServiceDuration(14, 15))).toBe('SERVICE.INVALID');
  });
});

describe('who offers a service', () => {
  const users = [
    { id: 2, role: 'staff', isActive: true },
    { id: 3, role: 'client', isActive: true },
    { id: 4, role: 'staff', isActive: false },
    { id: 1, role: 'admin', isActive: true },
  ] as const;
  it('must be active staff members, each known', () => {
    expect(code(() => assertServiceStaff([2], users))).toBeUndefined();
    for (const id of [3, 4, 1, 99]) expect(code(() => assertServiceStaff([2, id], users)), `id ${id}`).toBe('SERVICE.INVALID');
  });
  it('is kept ascending, each id once', () => {
    expect(normalizeStaffIds([5, 2, 5, 3])).toEqual([2, 3, 5]);
  });
});

describe('seeing a service', () => {
  it('hides an inactive service from everyone but admins, and an unknown one from all', () => {
    expect(code(() => assertServiceVisible(service(true), 1, null))).toBeUndefined();
    expect(code(() => assertServiceVisible(service(false), 1, { role: 'admin' }))).toBeUndefined();
    expect(code(() => assertServiceVisible(service(false), 1, { role: 'staff' }))).toBe('SERVICE.NOT_FOUND');
    expect(code(() => assertServiceVisible(service(false), 1, null))).toBe('SERVICE.NOT_FOUND');
    expect(code(() => assertServiceVisible(null, 1, { role: 'admin' }))).toBe('SERVICE.NOT_FOUND');
  });
});

describe('booking a service', () => {
  const rules: BookingRules = { bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minNoticeMinutes: 60, maxAdvanceDays: 30, slotIntervalMinutes: null, maxBookingsPerDay: null };

  it("replaces the staff member's buffers by the service's where it sets them, and nothing else", () => {
    expect(rulesForService(rules, null)).toBe(rules);
    expect(rulesForService(rules, { bufferBeforeMinutes: null, bufferAfterMinutes: null })).toEqual(rules);
    expect(rulesForService(rules, { bufferBeforeMinutes: 0, bufferAfterMinutes: null })).toEqual({ ...rules, bufferBeforeMinutes: 0 });
    expect(rulesForService(rules, { bufferBeforeMinutes: 15, bufferAfterMinutes: 20 })).toEqual({ ...rules, bufferBeforeMinutes: 15, bufferAfterMinutes: 20 });
  });

  it('gives a group booking the occurrence its seats share, a one-to-one booking none', () => {
    expect(occurrenceKey(null, 0, 60_000)).toBeNull();
    expect(occurrenceKey({ id: 3, capacity: 1 }, 0, 60_000)).toBeNull();
    expect(occurrenceKey({ id: 3, capacity: 8 }, 0, 60_000)).toBe(occurrenceKey({ id: 3, capacity: 8 }, 0, 60_000));
    expect(occurrenceKey({ id: 3, capacity: 8 }, 0, 60_000)).not.toBe(occurrenceKey({ id: 3, capacity: 8 }, 0, 120_000));
    expect(occurrenceKey({ id: 3, capacity: 8 }, 0, 60_000)).not.toBe(occurrenceKey({ id: 4, capacity: 8 }, 0, 60_000));
  });
});

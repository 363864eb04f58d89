import { describe, expect, it } from 'vitest';
import { MAX_SLOT_RANGE_DAYS, slotDateRange } from './range.ts';

describe('slotDateRange', () => {
  it.each([
    [{ date: '2026-12-04' }, ['2026-12-04', '2026-12-04']],
    [{ from: '2026-12-01', to: '2027-01-31' }, ['2026-12-01', '2027-01-31']],
    [{ date: '9999-12-31' }, ['9999-12-31', '9999-12-31']],
    [{ from: '9999-12-01', to: '9999-12-31' }, ['9999-12-01', '9999-12-31']],
  ])('accepts %o', (query, range) => {
    expect(slotDateRange(query)).toEqual(range);
  });

  it.each([
    [{}, 'Give date, or from and to'],
    [{ from: '2026-12-01' }, 'Give date, or from and to'],
    [{ date: '2026-12-01', from: '2026-12-01', to: '2026-12-02' }, 'not both'],
    [{ date: '2026-02-30' }, 'real calendar dates'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'before'],
    [{ from: '2026-12-01', to: '2027-02-01' }, `${MAX_SLOT_RANGE_DAYS} days`],
  ])('refuses %o', (query, message) => {
    expect(() => slotDateRange(query)).toThrow(expect.objectContaining({ code: 'SLOTS.INVALID_RANGE', message: expect.stringContaining(message) }));
  });
});

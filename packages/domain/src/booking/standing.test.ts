import { describe, expect, it } from 'vitest';
import { sameStanding, STANDING_FIELDS, type UserStanding } from './standing.ts';

describe('sameStanding', () => {
  const user: UserStanding = { id: 7, role: 'client', isActive: true, isBlocked: false, emailVerified: false };

  it('holds for the same user as read, whatever else changed', () => {
    expect(sameStanding(user, { ...user })).toBe(true);
  });

  it.each([
    ['id', { id: 8 }],
    ['role', { role: 'staff' }],
    ['isActive', { isActive: false }],
    ['isBlocked', { isBlocked: true }],
    ['emailVerified', { emailVerified: true }],
  ] as const)('fails when %s differs', (field, change) => {
    expect(STANDING_FIELDS).toContain(field);
    expect(sameStanding(user, { ...user, ...change })).toBe(false);
  });
});

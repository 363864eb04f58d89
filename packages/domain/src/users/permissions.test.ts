import { describe, expect, it } from 'vitest';
import { authorizeUserUpdate, roleForRegistration, type UserChangeRequest } from './permissions.ts';
import type { Role } from './user.ts';

const admin = { id: 1, role: 'admin' as Role };
const client = { id: 2, role: 'client' as Role };
const staff = { id: 3, role: 'staff' as Role };

describe('roleForRegistration', () => {
  it.each([
    [null, undefined, 'client'],
    [null, 'client', 'client'],
    [client, 'client', 'client'],
    [admin, 'staff', 'staff'],
    [admin, 'admin', 'admin'],
    [admin, undefined, 'client'],
  ] as const)('actor %o asking %s gets %s', (actor, requested, expected) => {
    expect(roleForRegistration(actor, requested)).toBe(expected);
  });

  it.each([
    [null, 'staff'],
    [null, 'admin'],
    [client, 'admin'],
    [staff, 'staff'],
  ] as const)('actor %o cannot create %s', (actor, requested) => {
    expect(() => roleForRegistration(actor, requested)).toThrow(expect.objectContaining({ code: 'AUTH.ROLE_REQUIRES_ADMIN' }));
  });
});

describe('authorizeUserUpdate', () => {
  const allowed: [string, typeof admin, number, UserChangeRequest][] = [
    ['own name', client, 2, { fullName: 'x' }],
    ['own zone and password', staff, 3, { timezone: 'UTC', password: 'secret-123' }],
    ["admin: another user's role and activity", admin, 2, { role: 'staff', isActive: false, fullName: 'y' }],
    ['admin: own password', admin, 1, { password: 'secret-123' }],
    ['admin: own role kept admin', admin, 1, { role: 'admin', isActive: true }],
  ];
  it.each(allowed)('allows %s', (_label, actor, target, changes) => {
    expect(() => authorizeUserUpdate(actor, target, changes)).not.toThrow();
  });

  const denied: [string, typeof admin, number, UserChangeRequest, string][] = [
    ["client edits another user's name", client, 3, { fullName: 'x' }, 'AUTH.FORBIDDEN'],
    ['client promotes itself', client, 2, { role: 'admin' }, 'USER.FIELD_ADMIN_ONLY'],
    ['staff reactivates itself', staff, 3, { isActive: true }, 'USER.FIELD_ADMIN_ONLY'],
    ["admin sets another user's password", admin, 2, { password: 'secret-123' }, 'AUTH.FORBIDDEN'],
    ['admin demotes itself', admin, 1, { role: 'client' }, 'USER.CANNOT_DEMOTE_SELF'],
    ['admin deactivates itself', admin, 1, { isActive: false }, 'USER.CANNOT_DEMOTE_SELF'],
  ];
  it.each(denied)('denies: %s', (_label, actor, target, changes, code) => {
    expect(() => authorizeUserUpdate(actor, target, changes)).toThrow(expect.objectContaining({ code }));
  });
});

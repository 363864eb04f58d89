import { describe, expect, it } from 'vitest';
import { appointmentScope, assertCanManageStaff, assertGuestAccount, assertStaff, bookingClientId, canSeeAppointment, ownAppointments } from './access.ts';

const admin = { id: 1, role: 'admin' as const };
const staff = { id: 2, role: 'staff' as const };
const client = { id: 3, role: 'client' as const };

describe('scheduling access rules', () => {
  it('accepts only existing staff members as staff', () => {
    expect(() => assertStaff(null, 9, admin)).toThrow(expect.objectContaining({ code: 'STAFF.NOT_FOUND' }));
    expect(() => assertStaff({ role: 'staff', isActive: false }, 9, admin)).toThrow(expect.objectContaining({ code: 'STAFF.NOT_FOUND' }));
    expect(() => assertStaff({ role: 'staff', isActive: true }, 2, null)).not.toThrow();
  });

  it('tells only admins that an id is a user who is not staff; to others it is unknown', () => {
    for (const user of [{ role: 'client', isActive: true }, { role: 'admin', isActive: true }] as const) {
      expect(() => assertStaff(user, 3, admin)).toThrow(expect.objectContaining({ code: 'STAFF.NOT_STAFF' }));
      for (const viewer of [null, client, staff]) expect(() => assertStaff(user, 3, viewer)).toThrow(expect.objectContaining({ code: 'STAFF.NOT_FOUND' }));
    }
  });

  it.each([
    [admin, 2, true],
    [staff, 2, true],
    [staff, 7, false],
    [client, 3, false],
  ] as const)('%o managing staff %i: %s', (actor, staffId, allowed) => {
    const attempt = () => assertCanManageStaff(actor, staffId);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });

  it.each([
    [{ role: 'client', isActive: true }, undefined],
    [{ role: 'staff', isActive: true }, 'USER.EMAIL_TAKEN'],
    [{ role: 'admin', isActive: true }, 'USER.EMAIL_TAKEN'],
    [{ role: 'staff', isActive: false }, 'USER.EMAIL_TAKEN'],
    [{ role: 'client', isActive: false }, 'AUTH.INACTIVE_USER'],
  ] as const)('lets a guest book as %o: %s', (user, refusal) => {
    const attempt = () => assertGuestAccount(user);
    if (refusal === undefined) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(expect.objectContaining({ code: refusal }));
  });

  it('books for the client themselves, or for the client an admin names', () => {
    expect(bookingClientId(client, undefined)).toBe(3);
    expect(bookingClientId(client, 3)).toBe(3);
    expect(() => bookingClientId(client, 4)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(bookingClientId(admin, 4)).toBe(4);
    expect(() => bookingClientId(admin, undefined)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.CLIENT_REQUIRED' }));
    expect(() => bookingClientId(staff, 3)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });

  it('scopes listings to what each role may see', () => {
    expect(appointmentScope(client, {})).toEqual({ clientId: 3 });
    expect(appointmentScope(client, { staffId: 2 })).toEqual({ clientId: 3, staffId: 2 });
    expect(() => appointmentScope(client, { clientId: 4 })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(appointmentScope(staff, { clientId: 3 })).toEqual({ clientId: 3, staffId: 2 });
    expect(() => appointmentScope(staff, { staffId: 5 })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(appointmentScope(admin, { staffId: 5 })).toEqual({ staffId: 5 });
  });

  it('shows an appointment to its client, its staff member and admins only', () => {
    const appointment = { clientId: 3, staffId: 2 };
    expect([admin, staff, client].map((a) => canSeeAppointment(a, appointment))).toEqual([true, true, true]);
    expect(canSeeAppointment({ id: 9, role: 'client' }, appointment)).toBe(false);
    expect(canSeeAppointment({ id: 8, role: 'staff' }, appointment)).toBe(false);
  });

  it('counts a party by their current role: after a role change the former side is a stranger', () => {
    const appointment = { clientId: 3, staffId: 2 };
    // The staff member made a client, the client made staff: each only sees what the new role owns.
    expect(canSeeAppointment({ id: 2, role: 'client' }, appointment)).toBe(false);
    expect(canSeeAppointment({ id: 3, role: 'staff' }, appointment)).toBe(false);
    expect(appointmentScope({ id: 2, role: 'client' }, {})).toEqual({ clientId: 2 });
    expect(ownAppointments({ id: 2, role: 'client' })).toEqual({ clientId: 2 });
    // A former admin sees what their new role owns, not everything.
    expect(canSeeAppointment({ id: 1, role: 'staff' }, appointment)).toBe(false);
    expect(canSeeAppointment({ id: 1, role: 'client' }, appointment)).toBe(false);
  });

  it("keeps an admin's feed to what is assigned to them, never everything an admin sees", () => {
    expect(ownAppointments(admin)).toEqual({ staffId: 1 });
    expect(ownAppointments(staff)).toEqual({ staffId: 2 });
    expect(ownAppointments(client)).toEqual({ clientId: 3 });
  });
});

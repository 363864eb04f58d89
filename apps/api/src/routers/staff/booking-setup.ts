import { assertStaff, resolveBookingRules, type AvailabilityRule, type BookingRules, type User } from '@appointments/domain';
import type { Repositories, StaffBookingSetup } from '@appointments/db';

/** A staff member's effective booking rules and availability entries: what slots and booking both start from. */
export interface BookingSetup {
  readonly booking: BookingRules;
  readonly rules: readonly AvailabilityRule[];
}

/** The staff member a request names (as loadStaff checks it) and their setup, from what the database gave. */
export function staffSetup(loaded: StaffBookingSetup, defaults: BookingRules, staffId: number, viewer: Pick<User, 'role'> | null): { staff: User; setup: BookingSetup } {
  const { staff, overrides, rules } = loaded;
  assertStaff(staff, staffId, viewer);
  return { staff, setup: { booking: resolveBookingRules(overrides, defaults), rules } };
}

/** The staff member a request names and their setup, in one read. */
export async function loadStaffSetup(repos: Repositories, defaults: BookingRules, staffId: number, viewer: Pick<User, 'role'> | null): Promise<{ staff: User; setup: BookingSetup }> {
  return staffSetup(await repos.appointments.bookingSetup(staffId), defaults, staffId, viewer);
}

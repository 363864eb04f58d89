import { resolveBookingRules, type BookingRules } from '@appointments/domain';
import type { Repositories } from '@appointments/db';

/** A staff member's effective booking rules and availability entries: what slots and booking both start from. */
export async function loadBookingSetup(repos: Repositories, defaults: BookingRules, staffId: number) {
  const [overrides, rules] = await Promise.all([repos.staffSettings.get(staffId), repos.availability.listForStaff(staffId)]);
  return { booking: resolveBookingRules(overrides, defaults), rules };
}

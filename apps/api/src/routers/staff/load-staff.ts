import { assertStaff, type User } from '@appointments/domain';
import type { Repositories } from '@appointments/db';

/** The staff member a request names: 404 when unknown, 422 when the user is not staff. */
export async function loadStaff(repos: Repositories, staffId: number): Promise<User> {
  const staff = await repos.users.findById(staffId);
  assertStaff(staff, staffId);
  return staff;
}

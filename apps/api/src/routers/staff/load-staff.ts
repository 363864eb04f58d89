import { assertStaff, type User } from '@appointments/domain';
import type { Repositories } from '@appointments/db';

/** The staff member a request names: 404 when unknown, or not staff (422 to an admin `viewer`). */
export async function loadStaff(repos: Repositories, staffId: number, viewer: Pick<User, 'role'> | null): Promise<User> {
  const staff = await repos.users.findById(staffId);
  assertStaff(staff, staffId, viewer);
  return staff;
}

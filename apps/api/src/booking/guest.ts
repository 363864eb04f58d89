import type { NewUser, Repositories } from '@appointments/db';
import { assertGuestAccount, DomainError, type User } from '@appointments/domain';
import type { CallerAccess } from './trust.ts';

/** Who books without a token: the account they would get if they have none. */
export type Guest = Pick<NewUser, 'email' | 'fullName' | 'timezone' | 'locale'>;

/**
 * A guest's booking acts as the client with their email: an existing account as it is (the request
 * changes neither its name nor its zone), or a new one without a password. The caller is read
 * fresh here, so nothing is kept and nothing is left to validate again: every booking rule then
 * applies as to that client signed in.
 */
export async function guestAccess(repos: Repositories, guest: Guest): Promise<CallerAccess> {
  const user = (await repos.users.findByEmail(guest.email)) ?? (await createGuest(repos, guest));
  assertGuestAccount(user);
  const caller = { user };
  return { caller, fresh: () => Promise.resolve(caller) };
}

async function createGuest(repos: Repositories, guest: Guest): Promise<User> {
  try {
    return await repos.users.create({ ...guest, role: 'client', passwordHash: null });
  } catch (error) {
    // The same guest's concurrent request made the account first: book as that one.
    const raced = error instanceof DomainError && error.code === 'USER.EMAIL_TAKEN' ? await repos.users.findByEmail(guest.email) : null;
    if (raced) return raced;
    throw error;
  }
}

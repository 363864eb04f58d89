import { StaleSetupError, type Database, type Repositories, type StaffBookingSetup } from '@appointments/db';
import { DomainError } from '@appointments/domain';

/** Staff members whose setup is kept (a few KB each); past it the cache starts over. */
const MAX_CACHED_SETUPS = 10_000;
const caches = new WeakMap<Database, Map<number, StaffBookingSetup>>();

/**
 * Books against the staff member's setup as this process last read it, saving a read per booking:
 * `prepare` checks the request against a setup, and `write` stores the result, told the setup
 * version it was checked against so that the database refuses the write if the setup has moved
 * since (StaleSetupError; booking.ts). A refusal judged on a kept setup (`prepare` throwing a
 * DomainError) is not trusted either: both are judged again on a fresh read, whose answer stands.
 * Kept off the request context, like the slot cache, so it stays out of the client's types.
 */
export async function withStaffSetup<Prepared, Result>(
  db: Database,
  repos: Repositories,
  staffId: number,
  prepare: (loaded: StaffBookingSetup) => Promise<Prepared>,
  write: (prepared: Prepared, setupVersion: number | undefined) => Promise<Result>,
): Promise<Result> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const kept = cache.get(staffId);
  if (kept) {
    const prepared = await prepare(kept).then(
      (value) => ({ value }),
      (error: unknown) => {
        if (error instanceof DomainError) return undefined;
        throw error;
      },
    );
    if (prepared) {
      try {
        return await write(prepared.value, kept.setupVersion);
      } catch (error) {
        if (!(error instanceof StaleSetupError)) throw error;
      }
    }
    cache.delete(staffId);
  }
  const fresh = await repos.appointments.bookingSetup(staffId);
  // Only real staff members are kept: unknown ids in requests must not fill the cache.
  if (fresh.staff?.role === 'staff') {
    if (cache.size >= MAX_CACHED_SETUPS) cache.clear();
    cache.set(staffId, fresh);
  }
  return write(await prepare(fresh), undefined);
}

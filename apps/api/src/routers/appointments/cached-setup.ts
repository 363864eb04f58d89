import { StaleSetupError, type Database, type Repositories, type StaffBookingSetup } from '@appointments/db';
import { DomainError } from '@appointments/domain';
import { boundedCache } from '@appointments/runtime';
import { perDatabase } from '../../per-database.ts';

/**
 * Availability rules kept across all setups (~200 bytes each: ~40 MB at most); past it the least
 * recently used setups go. Bounded by rules, not setups: a staff member may have thousands of them.
 */
export const MAX_CACHED_RULES = 200_000;

/** Kept setups by staff id, within MAX_CACHED_RULES. */
export class SetupCache {
  readonly #setups = boundedCache<number, StaffBookingSetup>({ name: 'staff-setups', maxSize: MAX_CACHED_RULES, sizeOf: (setup) => setup.rules.length });

  get(staffId: number): StaffBookingSetup | undefined {
    return this.#setups.get(staffId);
  }

  set(staffId: number, setup: StaffBookingSetup): void {
    this.#setups.set(staffId, setup);
  }

  delete(staffId: number): void {
    this.#setups.delete(staffId);
  }

  /** Availability rules held now, a setup without any counting as one. */
  get rules(): number {
    return this.#setups.calculatedSize;
  }
}

const setupCacheFor = perDatabase(() => new SetupCache());

/**
 * Books against the staff member's setup as this process last read it, saving a read per booking:
 * `prepare` checks the request against a setup, and `write` stores the result, told the setup
 * version it was checked against so that the database refuses the write if the setup has moved
 * since (StaleSetupError; booking.ts). A refusal judged on a kept setup (`prepare` throwing a
 * DomainError) is not trusted either: both are judged again on a fresh read, whose answer stands.
 */
export async function withStaffSetup<Prepared, Result>(
  db: Database,
  repos: Repositories,
  staffId: number,
  prepare: (loaded: StaffBookingSetup) => Promise<Prepared>,
  write: (prepared: Prepared, setupVersion: number | undefined) => Promise<Result>,
): Promise<Result> {
  const cache = setupCacheFor(db);
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
    // Unless another request has kept a newer one meanwhile.
    if (cache.get(staffId) === kept) cache.delete(staffId);
  }
  const fresh = await repos.appointments.bookingSetup(staffId);
  // Only bookable staff members are kept: unknown ids in requests must not fill the cache, and a
  // kept setup that always refuses would cost a second read on every request.
  if (fresh.staff?.role === 'staff' && fresh.staff.isActive) cache.set(staffId, fresh);
  return write(await prepare(fresh), undefined);
}

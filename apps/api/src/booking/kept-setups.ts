import type { BookingSetup } from '@appointments/db';
import { boundedCache } from '@appointments/runtime';
import { perDatabase } from '../per-database.ts';

/**
 * Availability rules kept across all setups (~200 bytes each: ~40 MB at most); past it the least
 * recently used setups go. Bounded by rules, not setups: a staff member may have thousands of them.
 */
export const MAX_CACHED_RULES = 200_000;

/** Kept setups by staff id, within MAX_CACHED_RULES. */
export class SetupCache {
  readonly #setups = boundedCache<number, BookingSetup>({ name: 'staff-setups', maxSize: MAX_CACHED_RULES, sizeOf: (setup) => setup.rules.length });

  get(staffId: number): BookingSetup | undefined {
    return this.#setups.get(staffId);
  }

  set(staffId: number, setup: BookingSetup): void {
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

/** Setups this process read lately, for booking to judge on (booking/trust.ts). */
export const setupCacheFor = perDatabase(() => new SetupCache());

import type { BookingSetup } from '@appointments/db';
import { perDatabase } from '../../per-database.ts';

/**
 * Availability rules kept across all setups (~200 bytes each: ~40 MB at most); past it the cache
 * starts over. Bounded by rules, not setups: a staff member may have thousands of them.
 */
export const MAX_CACHED_RULES = 200_000;

/** Kept setups by staff id, within MAX_CACHED_RULES. */
export class SetupCache {
  readonly #setups = new Map<number, BookingSetup>();
  #rules = 0;

  get(staffId: number): BookingSetup | undefined {
    return this.#setups.get(staffId);
  }

  set(staffId: number, setup: BookingSetup): void {
    this.delete(staffId);
    if (this.#rules + setup.rules.length > MAX_CACHED_RULES) this.#clear();
    this.#setups.set(staffId, setup);
    this.#rules += setup.rules.length;
  }

  delete(staffId: number): void {
    this.#rules -= this.#setups.get(staffId)?.rules.length ?? 0;
    this.#setups.delete(staffId);
  }

  /** Availability rules held now. */
  get rules(): number {
    return this.#rules;
  }

  #clear(): void {
    this.#setups.clear();
    this.#rules = 0;
  }
}

/** Setups this process read lately, for booking to judge on (booking/trust.ts). */
export const setupCacheFor = perDatabase(() => new SetupCache());

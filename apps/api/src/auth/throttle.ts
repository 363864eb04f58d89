import type { Database } from '@appointments/db';
import { DomainError, forgiveAttempt, recordAttempt, retryAfterMs, windowEnd, type AttemptWindow, type ThrottlePolicy } from '@appointments/domain';
import type { Logger } from '../logger.ts';

/** One throttled key and the policy it is held to. */
export type ThrottleKey = readonly [key: string, policy: ThrottlePolicy];

/**
 * Attempt windows kept in the database (the rules are the domain's), so every API process counts
 * against the same limits: behind a load balancer, more processes give an attacker no more guesses.
 * Each call is one transaction over its keys' rows; the worker's sweep deletes expired windows.
 */
export class Throttle {
  readonly #db: Database;
  readonly #logger: Logger;

  constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /** Counts an attempt on every key, or throws AUTH.TOO_MANY_ATTEMPTS (counting none) if any key is over its limit. */
  async acquire(keys: readonly ThrottleKey[], now: number, message: string): Promise<void> {
    const wait = await this.#db.fork().attemptWindows.change(
      keys.map(([key]) => key),
      (windows) => {
        const wait = Math.max(0, ...keys.map(([key, policy]) => retryAfterMs(windows.get(key), now, policy)));
        if (wait > 0) return { changes: [], result: wait };
        const changes = keys.map(([key, policy]) => {
          const window = recordAttempt(windows.get(key), now, policy);
          return { key, window, expiresAt: windowEnd(window, policy) };
        });
        return { changes, result: 0 };
      },
    );
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new DomainError('AUTH.TOO_MANY_ATTEMPTS', `${message}; try again in ${seconds} s`, { retry_after_seconds: seconds });
    }
  }

  /**
   * Gives one attempt back on each key (the attempt succeeded, or the database failed it). Never
   * fails the request: if the database refuses this too, the attempt stays counted and a warning says so.
   */
  async release(keys: readonly ThrottleKey[]): Promise<void> {
    const forgive = (windows: ReadonlyMap<string, AttemptWindow>) => ({
      changes: keys.flatMap(([key, policy]) => {
        const window = windows.get(key);
        return window ? [{ key, window: forgiveAttempt(window), expiresAt: windowEnd(window, policy) }] : [];
      }),
      result: undefined,
    });
    try {
      await this.#db.fork().attemptWindows.change(keys.map(([key]) => key), forgive);
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not give a throttled attempt back; it stays counted');
    }
  }
}

export interface Limits {
  /** Password checks per account (login, current_password). */
  readonly account: ThrottlePolicy;
  /** Password checks per client address: more room, since many users may share one. */
  readonly address: ThrottlePolicy;
  /** Sign-ups per client address (each costs an Argon2 hash). */
  readonly registration: ThrottlePolicy;
  /** Guest bookings per client address (each may create an account). */
  readonly guestBooking: ThrottlePolicy;
  /** Manage-link tokens that were not ours, per client address: guessing costs a wait. */
  readonly manageLinks: ThrottlePolicy;
  /** Account emails (reset and verification links) per address or account they go to. */
  readonly accountEmail: ThrottlePolicy;
  /** Account emails asked for per client address. */
  readonly accountEmailAddress: ThrottlePolicy;
}

export function passwordCheckKeys(limits: Limits, address: string, email: string): ThrottleKey[] {
  return [
    [`account:${email}`, limits.account],
    [`address:${address}`, limits.address],
  ];
}

export function registrationKeys(limits: Limits, address: string): ThrottleKey[] {
  return [[`register:${address}`, limits.registration]];
}

export function guestBookingKeys(limits: Limits, address: string): ThrottleKey[] {
  return [[`guest-booking:${address}`, limits.guestBooking]];
}

export function manageLinkKeys(limits: Limits, address: string): ThrottleKey[] {
  return [[`manage:${address}`, limits.manageLinks]];
}

/** An account email to `recipient` (an address, or a user's id) asked for from `address`. */
export function accountEmailKeys(limits: Limits, address: string, recipient: string): ThrottleKey[] {
  return [
    [`account-email:${recipient}`, limits.accountEmail],
    [`account-email-address:${address}`, limits.accountEmailAddress],
  ];
}

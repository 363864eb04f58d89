import { DomainError, isStale, recordFailure, retryAfterMs, type FailureWindow, type ThrottlePolicy } from '@appointments/domain';

const MAX_KEYS = 100_000;

/**
 * Failed logins per address and per account, in this process's memory (the rules are the
 * domain's). An address gets more room than an account, since many users may share one.
 */
export class LoginThrottle {
  readonly #windows = new Map<string, FailureWindow>();
  readonly #account: ThrottlePolicy;
  readonly #address: ThrottlePolicy;

  constructor(maxFailures: number, windowMs: number) {
    this.#account = { maxFailures, windowMs };
    this.#address = { maxFailures: maxFailures * 4, windowMs };
  }

  #keys(address: string, email: string): [string, ThrottlePolicy][] {
    return [
      [`account:${email}`, this.#account],
      [`address:${address}`, this.#address],
    ];
  }

  /** Throws AUTH.TOO_MANY_ATTEMPTS while either key is over its limit. */
  assertAllowed(address: string, email: string, now: number): void {
    const wait = Math.max(...this.#keys(address, email).map(([key, policy]) => retryAfterMs(this.#windows.get(key), now, policy)));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new DomainError('AUTH.TOO_MANY_ATTEMPTS', `Too many failed login attempts; try again in ${seconds} s`, {
        retry_after_seconds: seconds,
      });
    }
  }

  recordFailure(address: string, email: string, now: number): void {
    if (this.#windows.size >= MAX_KEYS) this.#sweep(now);
    for (const [key, policy] of this.#keys(address, email)) {
      this.#windows.set(key, recordFailure(this.#windows.get(key), now, policy));
    }
  }

  recordSuccess(email: string): void {
    this.#windows.delete(`account:${email}`);
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      if (isStale(window, now, this.#account)) this.#windows.delete(key);
    }
    // Still full (an attack from many keys): drop the oldest entries rather than grow without bound.
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS) break;
      this.#windows.delete(key);
    }
  }
}

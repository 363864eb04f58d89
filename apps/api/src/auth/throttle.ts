import { DomainError, forgiveAttempt, isStale, recordAttempt, retryAfterMs, type AttemptWindow, type ThrottlePolicy } from '@appointments/domain';

/** One throttled key and the policy it is held to. */
export type ThrottleKey = readonly [key: string, policy: ThrottlePolicy];

interface Entry {
  readonly window: AttemptWindow;
  readonly policy: ThrottlePolicy;
}

/**
 * Attempt windows in this process's memory (the rules are the domain's). Keys are bounded in
 * length by the input schemas and in number by `maxKeys`.
 */
export class Throttle {
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;

  constructor(maxKeys = 100_000) {
    this.#maxKeys = maxKeys;
  }

  /** Counts an attempt on every key, or throws AUTH.TOO_MANY_ATTEMPTS if any key is over its limit. */
  acquire(keys: readonly ThrottleKey[], now: number, message: string): void {
    const wait = Math.max(0, ...keys.map(([key, policy]) => retryAfterMs(this.#entries.get(key)?.window, now, policy)));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new DomainError('AUTH.TOO_MANY_ATTEMPTS', `${message}; try again in ${seconds} s`, { retry_after_seconds: seconds });
    }
    if (this.#entries.size >= this.#maxKeys) this.#evict(now);
    for (const [key, policy] of keys) {
      this.#entries.set(key, { window: recordAttempt(this.#entries.get(key)?.window, now, policy), policy });
    }
  }

  /** Gives one attempt back on each key (the attempt succeeded). */
  release(keys: readonly ThrottleKey[]): void {
    for (const [key] of keys) {
      const entry = this.#entries.get(key);
      if (entry) this.#entries.set(key, { ...entry, window: forgiveAttempt(entry.window) });
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Stale windows go first; if the map is still full, the oldest windows that lock nothing. Locks survive. */
  #evict(now: number): void {
    for (const [key, { window, policy }] of this.#entries) if (isStale(window, now, policy)) this.#entries.delete(key);
    for (const [key, { window, policy }] of this.#entries) {
      if (this.#entries.size < this.#maxKeys) break;
      if (retryAfterMs(window, now, policy) === 0) this.#entries.delete(key);
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

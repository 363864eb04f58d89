/**
 * Attempt throttling as pure state transitions: a fixed window per key (an address, an account).
 * An attempt is counted when it starts, before the expensive check, so concurrent attempts cannot
 * all slip under the limit; a successful one may be forgiven afterwards. The caller owns storage
 * and clock.
 */
export interface ThrottlePolicy {
  readonly maxAttempts: number;
  readonly windowMs: number;
}

export interface AttemptWindow {
  readonly count: number;
  readonly windowStart: number;
}

/** When a window stops counting: from then on it is as if there were none (and may be deleted). */
export function windowEnd(state: AttemptWindow, policy: ThrottlePolicy): number {
  return state.windowStart + policy.windowMs;
}

function current(state: AttemptWindow | undefined, now: number, policy: ThrottlePolicy): AttemptWindow | undefined {
  return state && now < windowEnd(state, policy) ? state : undefined;
}

/** Milliseconds until another attempt is allowed; 0 when the key is not throttled. */
export function retryAfterMs(state: AttemptWindow | undefined, now: number, policy: ThrottlePolicy): number {
  const live = current(state, now, policy);
  return live && live.count >= policy.maxAttempts ? windowEnd(live, policy) - now : 0;
}

export function recordAttempt(state: AttemptWindow | undefined, now: number, policy: ThrottlePolicy): AttemptWindow {
  const live = current(state, now, policy);
  return live ? { count: live.count + 1, windowStart: live.windowStart } : { count: 1, windowStart: now };
}

/** Gives back one counted attempt (it succeeded). */
export function forgiveAttempt(state: AttemptWindow): AttemptWindow {
  return { count: Math.max(0, state.count - 1), windowStart: state.windowStart };
}

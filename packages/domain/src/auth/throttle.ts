/**
 * Failed-login throttling as pure state transitions: a fixed window per key (an address or an
 * account). The caller owns the storage and the clock.
 */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
}

export interface FailureWindow {
  readonly count: number;
  readonly windowStart: number;
}

/** Milliseconds until another attempt is allowed; 0 when the key is not throttled. */
export function retryAfterMs(state: FailureWindow | undefined, now: number, policy: ThrottlePolicy): number {
  if (!state || now - state.windowStart >= policy.windowMs) return 0;
  return state.count >= policy.maxFailures ? state.windowStart + policy.windowMs - now : 0;
}

export function recordFailure(state: FailureWindow | undefined, now: number, policy: ThrottlePolicy): FailureWindow {
  if (!state || now - state.windowStart >= policy.windowMs) return { count: 1, windowStart: now };
  return { count: state.count + 1, windowStart: state.windowStart };
}

export function isStale(state: FailureWindow, now: number, policy: ThrottlePolicy): boolean {
  return now - state.windowStart >= policy.windowMs;
}

import { describe, expect, it } from 'vitest';
import { isStale, recordFailure, retryAfterMs, type FailureWindow } from './throttle.ts';

const policy = { maxFailures: 3, windowMs: 60_000 };

describe('login throttle', () => {
  it('allows attempts until the limit, then asks to wait for the window to end', () => {
    let state: FailureWindow | undefined;
    for (let i = 0; i < 3; i++) {
      expect(retryAfterMs(state, 1_000 + i, policy)).toBe(0);
      state = recordFailure(state, 1_000 + i, policy);
    }
    expect(retryAfterMs(state, 11_000, policy)).toBe(50_000);
    expect(retryAfterMs(state, 61_000, policy)).toBe(0);
  });

  it('starts a new window once the old one has passed', () => {
    const old = { count: 3, windowStart: 0 };
    expect(recordFailure(old, 60_000, policy)).toEqual({ count: 1, windowStart: 60_000 });
    expect(isStale(old, 60_000, policy)).toBe(true);
    expect(isStale(old, 59_999, policy)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { forgiveAttempt, recordAttempt, retryAfterMs, windowEnd, type AttemptWindow } from './throttle.ts';

const policy = { maxAttempts: 3, windowMs: 60_000 };

describe('attempt throttle', () => {
  it('allows attempts until the limit, then asks to wait for the window to end', () => {
    let state: AttemptWindow | undefined;
    for (let i = 0; i < 3; i++) {
      expect(retryAfterMs(state, 1_000 + i, policy)).toBe(0);
      state = recordAttempt(state, 1_000 + i, policy);
    }
    expect(retryAfterMs(state, 11_000, policy)).toBe(50_000);
    expect(retryAfterMs(state, 61_000, policy)).toBe(0);
  });

  it('starts a new window once the old one has passed', () => {
    const old = { count: 3, windowStart: 0 };
    expect(recordAttempt(old, 60_000, policy)).toEqual({ count: 1, windowStart: 60_000 });
    expect(windowEnd(old, policy)).toBe(60_000);
    expect(recordAttempt(old, 59_999, policy)).toEqual({ count: 4, windowStart: 0 });
  });

  it('gives a forgiven attempt back, never below zero', () => {
    const full = { count: 3, windowStart: 0 };
    expect(retryAfterMs(forgiveAttempt(full), 1, policy)).toBe(0);
    expect(forgiveAttempt({ count: 0, windowStart: 5 })).toEqual({ count: 0, windowStart: 5 });
  });
});

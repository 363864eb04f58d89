import { describe, expect, it } from 'vitest';
import { Throttle, type ThrottleKey } from './throttle.ts';

const policy = { maxAttempts: 2, windowMs: 60_000 };
const key = (name: string): ThrottleKey[] => [[name, policy]];

describe('Throttle', () => {
  it('counts attempts when they start, so concurrent ones cannot all pass', () => {
    const throttle = new Throttle();
    throttle.acquire(key('a'), 0, 'slow down');
    throttle.acquire(key('a'), 0, 'slow down');
    expect(() => throttle.acquire(key('a'), 0, 'slow down')).toThrow(expect.objectContaining({ code: 'AUTH.TOO_MANY_ATTEMPTS', details: { retry_after_seconds: 60 } }));
  });

  it('gives released attempts back', () => {
    const throttle = new Throttle();
    throttle.acquire(key('a'), 0, 'x');
    throttle.release(key('a'));
    throttle.acquire(key('a'), 0, 'x');
    expect(() => throttle.acquire(key('a'), 0, 'x')).not.toThrow();
  });

  it('refuses when any of several keys is over its limit, and counts none of them then', () => {
    const throttle = new Throttle();
    throttle.acquire(key('locked'), 0, 'x');
    throttle.acquire(key('locked'), 0, 'x');
    expect(() => throttle.acquire([...key('free'), ...key('locked')], 0, 'x')).toThrow();
    throttle.acquire(key('free'), 0, 'x');
    expect(() => throttle.acquire(key('free'), 0, 'x')).not.toThrow();
  });

  it('stays bounded when full, dropping stale and unlocked windows but never a lock', () => {
    const throttle = new Throttle(4);
    throttle.acquire(key('victim'), 0, 'x');
    throttle.acquire(key('victim'), 0, 'x'); // locked until 60 s
    for (const name of ['s1', 's2', 's3']) throttle.acquire(key(name), 1, 'x');
    for (let i = 0; i < 50; i++) throttle.acquire(key(`flood${i}`), 2, 'x');
    expect(throttle.size).toBeLessThanOrEqual(5);
    expect(() => throttle.acquire(key('victim'), 3, 'x')).toThrow(expect.objectContaining({ code: 'AUTH.TOO_MANY_ATTEMPTS' }));
  });
});

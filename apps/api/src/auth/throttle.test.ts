import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { testTargets, type TestTarget } from '@appointments/testkit/db';
import { createLogger } from '../logger.ts';
import { Throttle, type ThrottleKey } from './throttle.ts';

const policy = { maxAttempts: 2, windowMs: 60_000 };
const key = (name: string): ThrottleKey[] => [[name, policy]];
const TOO_MANY = expect.objectContaining({ code: 'AUTH.TOO_MANY_ATTEMPTS' });

describe.each(Object.entries(testTargets))('Throttle on %s', (engine, makeTarget) => {
  let target: TestTarget;
  let first: Database;
  let second: Database; // another API process's connection to the same database
  let throttle: Throttle;
  let other: Throttle;
  beforeAll(async () => {
    target = await makeTarget();
    first = await Database.open(target.target);
    second = await Database.open(target.target, { migrate: false });
    throttle = new Throttle(first, createLogger('silent', 'test'));
    other = new Throttle(second, createLogger('silent', 'test'));
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await target?.drop();
  });

  it('counts attempts when they start, so concurrent ones cannot all pass', async () => {
    // On PostgreSQL through both processes at once. SQLite in one process can't: a second connection
    // waiting for the write lock blocks the thread the first needs to commit (processes each have their own).
    const both = engine === 'postgresql';
    const attempts = Array.from({ length: 6 }, (_, i) => (both && i % 2 ? other : throttle).acquire(key('concurrent'), 0, 'slow down'));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(refused).toEqual(Array.from({ length: 4 }, () => expect.objectContaining({ code: 'AUTH.TOO_MANY_ATTEMPTS', details: { retry_after_seconds: 60 } })));
  });

  it('gives released attempts back, whichever process counted them', async () => {
    await throttle.acquire(key('released'), 0, 'x');
    await other.release(key('released'));
    await other.acquire(key('released'), 0, 'x');
    await expect(throttle.acquire(key('released'), 0, 'x')).resolves.toBeUndefined();
    await expect(other.acquire(key('released'), 0, 'x')).rejects.toThrow(TOO_MANY);
  });

  it('refuses when any of several keys is over its limit, and counts none of them then', async () => {
    await throttle.acquire(key('locked'), 0, 'x');
    await throttle.acquire(key('locked'), 0, 'x');
    await expect(other.acquire([...key('free'), ...key('locked')], 0, 'x')).rejects.toThrow(TOO_MANY);
    await throttle.acquire(key('free'), 0, 'x');
    await expect(throttle.acquire(key('free'), 0, 'x')).resolves.toBeUndefined();
  });

  it('opens again when the window has passed, and the sweep deletes only windows that have', async () => {
    await throttle.acquire(key('window'), 1_000, 'x');
    await throttle.acquire(key('window'), 1_000, 'x');
    await expect(throttle.acquire(key('window'), 60_999, 'x')).rejects.toThrow(TOO_MANY);
    await expect(other.acquire(key('window'), 61_000, 'x')).resolves.toBeUndefined(); // a new window, until 121 s
    const swept = await first.fork().attemptWindows.deleteExpired(new Date(120_000));
    expect(swept).toBeGreaterThan(0);
    await other.acquire(key('window'), 62_000, 'x');
    await expect(throttle.acquire(key('window'), 63_000, 'x')).rejects.toThrow(TOO_MANY); // the live window survived the sweep
  });

  it('never fails a request for want of giving an attempt back, but never counts one it could not', async () => {
    // A database every throttle statement fails on: one without the schema.
    const bare = await makeTarget();
    const unmigrated = await Database.open(bare.target, { migrate: false });
    try {
      const broken = new Throttle(unmigrated, createLogger('silent', 'test'));
      await expect(broken.release(key('anything'))).resolves.toBeUndefined();
      await expect(broken.acquire(key('anything'), 0, 'x')).rejects.toThrow(/attempt_windows/);
    } finally {
      await unmigrated.close();
      await bare.drop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

const FOREVER = new Date(8.64e15);

describe.each(Object.entries(testTargets))('attempt windows on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);

  it('store what the decision changes, and leave no row behind when it changes nothing', async () => {
    const windows = () => database.db.fork().attemptWindows;
    // A refusal (no changes) naming keys never seen: nothing stays, however many keys it names.
    const refused = await windows().change(['a', 'b', 'c'], (seen) => ({ changes: [], result: seen.size }));
    expect(refused).toBe(0);
    expect(await windows().deleteExpired(FOREVER)).toBe(0);

    await windows().change(['a', 'b'], () => ({ changes: [{ key: 'a', window: { count: 1, windowStart: 1_000 }, expiresAt: 61_000 }], result: undefined }));
    const seen = await windows().change(['a', 'b'], (found) => ({ changes: [], result: Object.fromEntries(found) }));
    expect(seen).toEqual({ a: { count: 1, windowStart: 1_000 } });
    // Only past windows go: first the empty row the committed change made for `b`, then `a`'s.
    expect(await windows().deleteExpired(new Date(61_000))).toBe(1);
    expect(await windows().change(['a'], (found) => ({ changes: [], result: found.has('a') }))).toBe(true);
    expect(await windows().deleteExpired(new Date(61_001))).toBe(1);
    expect(await windows().deleteExpired(FOREVER)).toBe(0);
  });
});

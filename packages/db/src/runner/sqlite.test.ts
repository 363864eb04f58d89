import { cacheStats } from '@appointments/runtime';
import { expect, it } from 'vitest';
import { Database } from '../database.ts';
import { sqliteTestTarget } from '@appointments/testkit/db';

it("keeps SQLite's prepared statements in a bounded cache listed by cacheStats, emptied on close", async () => {
  const scratch = sqliteTestTarget();
  const db = await Database.open(scratch.target);
  const statements = () => cacheStats().findLast((cache) => cache.name === 'sqlite-statements');
  try {
    await db.fork().users.findById(1);
    expect(statements()).toMatchObject({ maxSize: 500 });
    expect(statements()!.entries).toBeGreaterThan(0);
  } finally {
    await db.close();
    await scratch.drop();
  }
  expect(statements()!.entries).toBe(0);
});

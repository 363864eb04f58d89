import { describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from '../database.ts';
import { testTargets } from '@appointments/testkit/db';
import { migrationsFor } from './index.ts';

describe.each(Object.entries(testTargets))('migrations on %s', (dialect, makeTarget) => {
  it('roll back one by one, newest first, as far as they declare a down(), and apply again to the entities', async () => {
    // The first migrations predate rollbacks (no down()); every later one must have a working one.
    const all = migrationsFor(dialect as 'sqlite' | 'postgresql');
    const firstReversible = all.findIndex((m) => Object.hasOwn(m.class.prototype, 'down'));
    const reversible = all.slice(firstReversible);
    expect(reversible.length).toBeGreaterThan(0);
    expect(reversible.every((m) => Object.hasOwn(m.class.prototype, 'down'))).toBe(true);

    const scratch = await makeTarget();
    const orm = await MikroORM.init(ormOptions(scratch.target));
    try {
      await orm.migrator.up();
      for (const migration of reversible.toReversed()) {
        // Each down() runs on the schema its own up() left: a rollback that fails fails here.
        const [reverted] = await orm.migrator.down();
        expect(reverted?.name).toBe(migration.name);
      }
      expect((await orm.migrator.getExecuted()).map((m) => m.name)).toEqual(all.slice(0, firstReversible).map((m) => m.name));
      expect((await orm.migrator.up()).map((m) => m.name)).toEqual(reversible.map((m) => m.name));
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});

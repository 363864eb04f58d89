import type { Migration } from '@mikro-orm/migrations';
import { Migration20261125000000 as PgInitial } from './postgresql/Migration20261125000000.ts';
import { Migration20261125000000 as SqliteInitial } from './sqlite/Migration20261125000000.ts';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

/** Listed explicitly (not discovered on disk) so they load the same under Node, vitest and bundlers. */
const migrations: Record<'sqlite' | 'postgresql', { name: string; class: MigrationClass }[]> = {
  sqlite: [{ name: 'Migration20261125000000', class: SqliteInitial }],
  postgresql: [{ name: 'Migration20261125000000', class: PgInitial }],
};

export function migrationsFor(dialect: 'sqlite' | 'postgresql') {
  return migrations[dialect];
}

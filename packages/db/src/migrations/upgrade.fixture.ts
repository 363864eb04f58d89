import { MikroORM } from '@mikro-orm/core';
import type { DatabaseTarget } from '../database-url.ts';
import { ormOptions } from '../database.ts';
import { migrationsFor } from './index.ts';

const HOUR = 3_600_000;

/** A throwaway database, as the test kit's testTargets make them. */
interface TestTarget {
  readonly target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A database whose schema stops just before one migration, written to with raw SQL as it was then. */
export interface OldSchema {
  readonly sql: ReturnType<MikroORM['em']['getConnection']>;
  /** A datetime as the engine stores it (epoch milliseconds on SQLite). */
  time(ms: number): number | Date;
  /** Inserts a user as the users table then took one; its id. */
  user(email: string, role: 'client' | 'staff', timezone?: string): Promise<number>;
  /** Inserts an hour-long scheduled appointment (at version `sequence`) as the table then took one; its id. */
  appointment(clientId: number, staffId: number, start: number, sequence?: number): Promise<number>;
  /** Applies every migration left. */
  upgrade(): Promise<void>;
}

/** For a test of a migration's data changes: `seed` writes rows before the migration named `…_<suffix>`, upgrades, and checks. */
export async function beforeMigration(dialect: string, makeTarget: () => Promise<TestTarget>, suffix: string, seed: (old: OldSchema) => Promise<void>): Promise<void> {
  const all = migrationsFor(dialect as 'sqlite' | 'postgresql');
  const before = all[all.findIndex((m) => m.name.endsWith(`_${suffix}`)) - 1]!.name;
  const scratch = await makeTarget();
  const orm = await MikroORM.init(ormOptions(scratch.target));
  try {
    await orm.migrator.up({ to: before });
    const sql = orm.em.getConnection();
    const time = (ms: number) => (dialect === 'sqlite' ? ms : new Date(ms));
    const now = time(Date.now());
    const user = async (email: string, role: string, timezone = 'UTC') =>
      Number(
        (
          await sql.execute(
            'insert into users (email, full_name, role, password_hash, is_active, timezone, no_show_count, completed_count, is_blocked, created_at, updated_at) values (?, ?, ?, ?, true, ?, 0, 0, false, ?, ?) returning id',
            [email, 'U', role, 'x', timezone, now, now],
          )
        )[0].id,
      );
    const appointment = async (clientId: number, staffId: number, start: number, sequence = 0) =>
      Number(
        (
          await sql.execute(
            "insert into appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, client_overlap_allowed, created_at, updated_at) values (?, ?, ?, ?, ?, ?, null, 'scheduled', ?, true, ?, ?) returning id",
            [clientId, staffId, time(start), time(start + HOUR), time(start), time(start + HOUR), sequence, now, now],
          )
        )[0].id,
      );
    await seed({ sql, time, user, appointment, upgrade: async () => void (await orm.migrator.up()) });
  } finally {
    await orm.close(true);
    await scratch.drop();
  }
}

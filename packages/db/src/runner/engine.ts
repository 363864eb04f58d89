import type { MikroORM } from '@mikro-orm/core';
import type { DatabaseTarget } from '../database-url.ts';
import { committedReader, reusePreparedStatements, type CommittedReader, type NativeSqlite } from './sqlite.ts';

/** One open database's engine, as the runner needs it. */
export interface Engine {
  readonly dialect: DatabaseTarget['dialect'];
  /** SQLite: the ORM's one connection. */
  readonly sqlite: NativeSqlite | undefined;
  /** A SQLite file: a read-only connection of its own, for committed reads. */
  readonly committed: CommittedReader | undefined;
  /** Lets go of what the engine holds beside the ORM (before the ORM closes). */
  close(): void;
}

/**
 * The engine behind a freshly initialised ORM. SQLite is set up here: WAL, its checkpoints, and
 * prepared statements reused (sqlite.ts); PostgreSQL's settings are its pool's (ormOptions).
 */
export async function openEngine(orm: MikroORM, target: DatabaseTarget): Promise<Engine> {
  if (target.dialect === 'postgresql') return { dialect: 'postgresql', sqlite: undefined, committed: undefined, close: () => undefined };
  const connection = orm.em.getConnection();
  const native = (await connection.getNativeClient()) as NativeSqlite;
  // WAL lets readers run beside the writer; NORMAL is durable across app crashes in WAL mode.
  await connection.execute('pragma journal_mode = WAL');
  await connection.execute('pragma synchronous = NORMAL');
  // Checkpoint every ~16 MB of WAL, not SQLite's default 4 MB: a booking dirties a dozen pages
  // across five tables and their indexes; rarer checkpoints copy a page written many times once
  // and fsync less often (on the event loop: better-sqlite3 is synchronous).
  await connection.execute('pragma wal_autocheckpoint = 4000');
  const statements = reusePreparedStatements(native);
  // An in-memory database exists on one connection only: committed reads go through that one.
  const committed = target.path === ':memory:' ? undefined : committedReader(native, target.path);
  return {
    dialect: 'sqlite',
    sqlite: native,
    committed,
    close() {
      committed?.close();
      statements.clear();
    },
  };
}

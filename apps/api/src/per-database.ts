import type { Database } from '@appointments/db';

/**
 * One `T` per open database, made on first use. For the process's caches: kept off the request
 * context on purpose, as the context's type is part of the published client's types.
 */
export function perDatabase<T>(make: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}

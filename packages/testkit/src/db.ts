import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** Where test databases are created; CI and these machines have PostgreSQL here with trust auth. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * Where a test database lives, in the shape `Database.open` takes. Spelled out here rather than
 * imported: packages/db's own tests use this kit, so the kit cannot depend on packages/db.
 */
export type TestDatabaseTarget = { readonly dialect: 'sqlite'; readonly path: string } | { readonly dialect: 'postgresql'; readonly url: string };

export interface TestTarget {
  readonly target: TestDatabaseTarget;
  /** Deletes the database (file or PostgreSQL database). */
  drop(): Promise<void>;
}

export function sqliteTestTarget(): TestTarget {
  const dir = mkdtempSync(join(tmpdir(), 'appointments-test-'));
  return {
    target: { dialect: 'sqlite', path: join(dir, 'test.db') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named PostgreSQL database per call; dropped by `drop()`. */
export async function postgresTestTarget(): Promise<TestTarget> {
  const name = `appointments_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgresql', url: url.toString() },
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export const testTargets = {
  sqlite: async () => sqliteTestTarget(),
  postgresql: postgresTestTarget,
} as const;

/**
 * A fresh database for the enclosing suite, opened (and so migrated) by `open` (`Database.open`),
 * then closed and dropped after it. Read `.db` inside tests and hooks (it is set by a beforeAll
 * registered before the suite's own).
 */
export function useTestDatabase<D extends { close(): Promise<void> }>(
  open: (target: TestDatabaseTarget) => Promise<D>,
  makeTarget: () => Promise<TestTarget>,
): { readonly db: D } {
  const suite: { db: D; target?: TestTarget } = { db: undefined as unknown as D };
  beforeAll(async () => {
    suite.target = await makeTarget();
    suite.db = await open(suite.target.target);
  });
  afterAll(async () => {
    await suite.db?.close();
    await suite.target?.drop();
  });
  return suite;
}

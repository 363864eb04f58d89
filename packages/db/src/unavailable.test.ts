import { createServer, type AddressInfo } from 'node:net';
import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { QueryTimeoutError } from './runner/index.ts';
import { Database } from './database.ts';
import { postgresTestTarget } from '@appointments/testkit/db';
import { isDatabaseUnavailable } from './unavailable.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connect', withCode('ECONNREFUSED'), true],
    ['a reset connection', withCode('ECONNRESET'), true],
    ['PostgreSQL shutting down (57P01)', withCode('57P01'), true],
    ['a connection failure SQLSTATE (08006)', withCode('08006'), true],
    ["pg's dropped connection", new Error('Connection terminated unexpectedly'), true],
    ['a statement cancelled by statement_timeout (57014)', withCode('57014', 'canceling statement due to statement timeout'), true],
    ['a query unanswered in time', new QueryTimeoutError(5000), true],
    ["pg-pool's connect timeout", new Error('timeout exceeded when trying to connect'), true],
    ['SQLite read-only', withCode('SQLITE_READONLY', 'attempt to write a readonly database'), true],
    ['SQLite busy (extended code)', withCode('SQLITE_BUSY_SNAPSHOT'), true],
    ['SQLite I/O error', withCode('SQLITE_IOERR_WRITE'), true],
    ["MikroORM's ConnectionException", new ConnectionException(new Error('gone')), true],
    ['wrapped in a cause', new Error('procedure failed', { cause: withCode('ECONNREFUSED') }), true],
    ['inside an AggregateError', new AggregateError([withCode('ECONNREFUSED')], ''), true],
    ['a unique violation', new UniqueConstraintViolationException(withCode('23505')), false],
    ['a syntax error (42601)', withCode('42601'), false],
    ['a protocol violation (08P01: what a NUL byte in a parameter causes)', withCode('08P01', 'invalid message format'), false],
    ['SQLite constraint', withCode('SQLITE_CONSTRAINT_CHECK'), false],
    ['a plain bug', new TypeError('x is undefined'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('%s → %s', (_label, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });

  it('does not take what PostgreSQL says to a NUL byte in text (via the ORM: 08P01) for an outage', async () => {
    const scratch = await postgresTestTarget();
    const db = await Database.open(scratch.target);
    try {
      const user = { email: 'nul\u0000@example.com', fullName: 'N\u0000L', role: 'client', passwordHash: 'x', timezone: 'UTC' } as const;
      const error: unknown = await db.fork().users.create(user).then(() => null, (e: unknown) => e);
      expect((error as { code?: string }).code).toMatch(/^(08P01|22021)$/);
      expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });

  it('recognises what pg really throws when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'nobody', connectionTimeoutMillis: 2000 });
    const error: unknown = await client.connect().then(() => null, (e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

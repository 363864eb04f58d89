import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_USED_RESOLUTION_MS } from '@appointments/domain';
import { rest, restCall, setUpAllDayStaff, startApiPair, type TestApi } from '@appointments/testkit/api';
import { keptSessionsFor } from '../../booking/kept-sessions.ts';
import { parseEnv } from '../../env.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { createCaller } from '../caller.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;

/** A table's rows as plain SQL reads them, bypassing the app's code. */
async function rawRows(databaseUrl: string, table: string): Promise<Record<string, unknown>[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.replace(/^sqlite:\/\//, ''), { readOnly: true });
    try {
      return db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(`select * from "${table}"`)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

interface CreatedKey {
  readonly id: number;
  readonly key: string;
  readonly prefix: string;
  readonly name: string;
}

describe.each(['sqlite', 'postgresql'] as const)('API keys on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>; // a second API process on the same database
  let admin: string;
  let staffId: number;
  let clientId: number;
  let next: number;
  let keys = 0;

  /** A REST call to `t` as `token`, through the test kit's one REST helper. */
  const send = (t: TestApi<ApiServer>, method: string, path: string, token: string | null, json?: unknown, idempotencyKey?: string) =>
    rest(t.url, method, path, { ...(token && { token }), json, ...(idempotencyKey && { idempotencyKey }) });
  const createKey = async (scopes: string[], extra: Record<string, unknown> = {}): Promise<CreatedKey> => {
    const created = await send(a, 'POST', '/api/v1/api-keys', admin, { name: `Key ${++keys}`, scopes, ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as unknown as CreatedKey;
  };
  const listed = async () => (await send(a, 'GET', '/api/v1/api-keys', admin)).body as unknown as Record<string, unknown>[];
  const hour = () => {
    const start = next;
    next += HOUR;
    return { start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString() };
  };

  beforeAll(async () => {
    ({ a, b } = await startApiPair({ createServer, parseEnv }, dialect));
    const setUp = await setUpAllDayStaff(a, password);
    ({ admin, staffId, next } = setUp);
    clientId = (await restCall<{ id: number }>(a.url, setUp.client, 'GET', '/api/v1/auth/me')).id;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('creates a key shown once: apk_ and 32 base32 characters, listed by its first 12; a revoked key is not listed', async () => {
    const created = await createKey(['appointments:read', 'users:read'], { expires_at: new Date(Date.now() + 24 * HOUR).toISOString() });
    expect(created.key).toMatch(/^apk_[a-z2-7]{32}$/);
    expect(created).toMatchObject({ prefix: created.key.slice(0, 12), scopes: ['appointments:read', 'users:read'], last_used_at: null, expires_at: expect.any(String) });
    const entry = (await listed()).find((key) => key.id === created.id);
    const { key: _shownOnce, ...rest } = created;
    expect(entry).toEqual(rest);
    expect(JSON.stringify(await listed())).not.toContain(created.key);

    expect((await send(a, 'DELETE', `/api/v1/api-keys/${created.id}`, admin)).status).toBe(204);
    expect((await listed()).map((key) => key.id)).not.toContain(created.id);
    const again = await send(a, 'DELETE', `/api/v1/api-keys/${created.id}`, admin);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 404, code: 'API_KEY.NOT_FOUND' });
    expect((await send(a, 'DELETE', '/api/v1/api-keys/999999', admin)).body.code).toBe('API_KEY.NOT_FOUND');
  });

  it('stores only the SHA-256 of the key, and the revoked row stays', async () => {
    const created = await createKey(['users:read']);
    await send(a, 'DELETE', `/api/v1/api-keys/${created.id}`, admin);
    const row = (await rawRows(a.databaseUrl, 'api_keys')).find((r) => r.id === created.id);
    expect(row).toMatchObject({ key_hash: createHash('sha256').update(created.key).digest('hex'), prefix: created.prefix, revoked_at: expect.anything() });
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it.each([
    ['an unknown scope', { scopes: ['appointments:delete'] }, 'VALIDATION.FAILED'],
    ['a scope twice', { scopes: ['users:read', 'users:read'] }, 'VALIDATION.FAILED'],
    ['no scope', { scopes: [] }, 'VALIDATION.FAILED'],
    ['an expiry in the past', { scopes: ['users:read'], expires_at: '2020-01-01T00:00:00Z' }, 'API_KEY.INVALID'],
  ])('refuses %s with 422', async (_label, fields, code) => {
    const answer = await send(a, 'POST', '/api/v1/api-keys', admin, { name: 'Refused', ...fields });
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 422, code });
  });

  it('stops working at once in another API process on the database when revoked', async () => {
    const created = await createKey(['users:read']);
    expect((await send(b, 'GET', '/api/v1/users', created.key)).status).toBe(200);
    expect((await send(a, 'DELETE', `/api/v1/api-keys/${created.id}`, admin)).status).toBe(204);
    const after = await send(b, 'GET', '/api/v1/users', created.key);
    expect({ status: after.status, body: after.body }).toEqual({ status: 401, body: { code: 'AUTH.NOT_AUTHENTICATED', message: 'This API key has been revoked' } });
  });

  it('refuses an expired key and an unknown one with 401, saying which', async () => {
    const created = await createKey(['users:read'], { expires_at: new Date(Date.now() + HOUR).toISOString() });
    const at = (now: Date) => createCaller({ services: a.api.services, token: created.key, now }).users.list({});
    expect((await at(new Date())).items.length).toBeGreaterThan(0);
    await expect(at(new Date(Date.now() + 2 * HOUR))).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'This API key has expired' });
    const unknown = await send(a, 'GET', '/api/v1/users', `apk_${'a'.repeat(32)}`);
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 401, body: { code: 'AUTH.NOT_AUTHENTICATED', message: 'Invalid API key' } });
  });

  it('does what its scopes cover; a missing scope is named; keys never manage keys nor act as a person', async () => {
    const reader = await createKey(['users:read']);
    expect((await send(a, 'GET', '/api/v1/users', reader.key)).status).toBe(200);
    const write = await send(a, 'PATCH', `/api/v1/users/${clientId}`, reader.key, { full_name: 'Renamed' });
    expect({ status: write.status, body: write.body }).toEqual({ status: 403, body: { code: 'AUTH.SCOPE_MISSING', message: 'This API key lacks the scope "users:write"' } });

    const everything = await createKey(['appointments:read', 'appointments:write', 'availability:read', 'availability:write', 'services:write', 'users:read', 'users:write', 'webhooks:manage']);
    for (const [method, path, json] of [
      ['POST', '/api/v1/api-keys', { name: 'Child', scopes: ['users:read'] }],
      ['GET', '/api/v1/api-keys', undefined],
      ['DELETE', `/api/v1/api-keys/${reader.id}`, undefined],
      ['GET', '/api/v1/auth/me', undefined],
      ['POST', '/api/v1/auth/logout', undefined],
      ['GET', '/api/v1/calendar/feeds', undefined],
    ] as const) {
      const answer = await send(a, method, path, everything.key, json);
      expect({ status: answer.status, code: answer.body.code }, `${method} ${path}`).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    }
    expect((await listed()).map((key) => key.id)).toContain(reader.id);
    // Registering staff takes users:write; the public catalogue takes any key as no caller at all.
    const staff = await send(a, 'POST', '/api/v1/auth/register', reader.key, { email: 'by-key@example.com', full_name: 'By Key', password, role: 'staff' });
    expect(staff.body.code).toBe('AUTH.SCOPE_MISSING');
    expect((await send(a, 'POST', '/api/v1/auth/register', everything.key, { email: 'by-key@example.com', full_name: 'By Key', password, role: 'staff' })).status).toBe(201);
    expect((await send(a, 'GET', '/api/v1/services', reader.key)).status).toBe(200);
  });

  it('books as an admin does, naming the client; history, user events and the cancellation email name the key', async () => {
    const booker = await createKey(['appointments:read', 'appointments:write', 'users:write']);
    const nobody = await send(a, 'POST', '/api/v1/appointments', booker.key, { staff_id: staffId, ...hour() });
    expect({ status: nobody.status, code: nobody.body.code }).toEqual({ status: 422, code: 'APPOINTMENT.CLIENT_REQUIRED' });
    const booked = await send(a, 'POST', '/api/v1/appointments', booker.key, { staff_id: staffId, client_id: clientId, ...hour() });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const id = booked.body.id as number;
    expect((await send(a, 'POST', `/api/v1/appointments/${id}/cancel`, booker.key, { reason: 'Synced' })).status).toBe(200);

    const history = (await send(a, 'GET', `/api/v1/appointments/${id}/history`, admin)).body as unknown as Record<string, unknown>[];
    expect(history.map((event) => [event.action, event.actor_id, event.actor_api_key_id])).toEqual([
      ['booked', null, booker.id],
      ['cancelled', null, booker.id],
    ]);
    const repos = a.api.services.db.fork();
    await repos.appointmentChanges.processPending({ reminderLeadMinutes: [60] }, 100); // the worker's step
    const { items } = await repos.notifications.list({ appointmentId: id, offset: 0, limit: 10 });
    const cancellations = items.filter((n) => n.kind === 'cancellation');
    expect(cancellations.map((n) => n.details.cancelledBy)).toEqual([
      { id: null, name: booker.name, role: 'admin' },
      { id: null, name: booker.name, role: 'admin' },
    ]);

    expect((await send(a, 'POST', `/api/v1/users/${clientId}/unblock`, booker.key)).status).toBe(200);
    expect((await repos.userEvents.listFor(clientId)).at(-1)).toMatchObject({ action: 'unblocked', actorId: null, actorApiKeyId: booker.id });
  });

  it('replays an Idempotency-Key per key: another key, or the admin, with the same one books anew', async () => {
    const first = await createKey(['appointments:write']);
    const second = await createKey(['appointments:write']);
    const book = async (token: string, body: object) =>
      (await send(a, 'POST', '/api/v1/appointments', token, { staff_id: staffId, client_id: clientId, ...body }, 'sync-1')).body.id;
    const request = hour();
    const original = await book(first.key, request);
    expect(await book(first.key, request)).toBe(original);
    const other = await book(second.key, hour());
    const admins = await book(admin, hour());
    expect(new Set([original, other, admins]).size).toBe(3);
    const changed = await send(a, 'POST', '/api/v1/appointments', first.key, { staff_id: staffId, client_id: clientId, ...hour() }, 'sync-1');
    expect(changed.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('is never kept for bookings: every booking with a key validates it afresh', async () => {
    const booker = await createKey(['appointments:write']);
    expect((await send(a, 'POST', '/api/v1/appointments', booker.key, { staff_id: staffId, client_id: clientId, ...hour() })).status).toBe(201);
    const hash = createHash('sha256').update(booker.key).digest('hex');
    expect(keptSessionsFor(a.api.services.db).get(hash, new Date(), 8 * 24 * HOUR)).toBeUndefined();
    expect((await send(b, 'DELETE', `/api/v1/api-keys/${booker.id}`, admin)).status).toBe(204);
    const refused = await send(a, 'POST', '/api/v1/appointments', booker.key, { staff_id: staffId, client_id: clientId, ...hour() });
    expect(refused.body.code).toBe('AUTH.NOT_AUTHENTICATED');
  });

  it('records its last use at most once a minute', async () => {
    const created = await createKey(['users:read']);
    const lastUsed = async () => (await listed()).find((key) => key.id === created.id)?.last_used_at;
    const use = (now: Date) => createCaller({ services: a.api.services, token: created.key, now }).users.list({});
    const t0 = new Date(Date.now() + HOUR);
    await use(t0);
    expect(await lastUsed()).toBe(t0.toISOString());
    await use(new Date(t0.getTime() + LAST_USED_RESOLUTION_MS - 1));
    expect(await lastUsed()).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1);
    await use(later);
    expect(await lastUsed()).toBe(later.toISOString());
  });
});

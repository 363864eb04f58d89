import type { OpenAPIObject } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';
import { INPUT_INVALID } from '../errors.ts';
import { NOT_AN_ID } from '../routers/common.schema.ts';

const password = 'correct-horse-1';

describe.each(['sqlite', 'postgresql'] as const)('REST API on %s', (dialect) => {
  let t: TestApi;
  let adminToken: string;

  const req = async (method: string, path: string, opts: { token?: string; json?: unknown; body?: string; type?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.type) headers['content-type'] = opts.type;
    const res = await fetch(`${t.url}${path}`, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { LOGIN_MAX_FAILURES: '2' });
    adminToken = await login(t.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t?.close());

  it('runs the seed README flow: register (201), form login, me', async () => {
    const reg = await req('POST', '/api/v1/auth/register', { json: { email: 'Client@Example.com', full_name: 'John Client', password } });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ email: 'client@example.com', full_name: 'John Client', role: 'client', is_active: true, no_show_count: 0, is_blocked: false });
    expect(reg.body).not.toHaveProperty('password');
    expect(reg.body).not.toHaveProperty('hashed_password');

    const form = await req('POST', '/api/v1/auth/login', { type: 'application/x-www-form-urlencoded', body: `username=client%40example.com&password=${password}` });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ token_type: 'bearer', access_token: expect.any(String) });
    expect(form.headers.get('cache-control')).toBe('no-store');

    const me = await req('GET', '/api/v1/auth/me', { token: form.body!.access_token as string });
    expect(me.status).toBe(200);
    expect(Object.keys(me.body!).sort()).toEqual(
      ['completed_count', 'created_at', 'email', 'email_verified', 'full_name', 'id', 'is_active', 'is_blocked', 'locale', 'no_show_count', 'role', 'timezone'].sort(),
    );
  });

  it('logout answers 204 and the token stops working', async () => {
    const token = await login(t.url, ADMIN.email, ADMIN.password);
    expect((await req('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    const after = await req('GET', '/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ code: 'AUTH.NOT_AUTHENTICATED', message: 'Invalid or revoked token' });
  });

  it.each([
    ['no token', 'GET', '/api/v1/auth/me', undefined, undefined, 401, 'AUTH.NOT_AUTHENTICATED'],
    ['bad token', 'GET', '/api/v1/users', 'nope', undefined, 401, 'AUTH.NOT_AUTHENTICATED'],
    ['staff role without admin', 'POST', '/api/v1/auth/register', undefined, { email: 's@example.com', full_name: 'S', password, role: 'staff' }, 403, 'AUTH.ROLE_REQUIRES_ADMIN'],
    ['unknown role', 'POST', '/api/v1/auth/register', undefined, { email: 's@example.com', full_name: 'S', password, role: 'root' }, 422, 'VALIDATION.FAILED'],
    ['short password', 'POST', '/api/v1/auth/register', undefined, { email: 's@example.com', full_name: 'S', password: 'short' }, 422, 'VALIDATION.FAILED'],
    ['control characters', 'POST', '/api/v1/auth/register', undefined, { email: 's@example.com', full_name: 'S\r\nBcc: x', password }, 422, 'VALIDATION.FAILED'],
    ['unknown zone', 'POST', '/api/v1/auth/register', undefined, { email: 's@example.com', full_name: 'S', password, timezone: 'Mars/Base' }, 422, 'VALIDATION.FAILED'],
    ['wrong types', 'POST', '/api/v1/auth/register', undefined, { email: 5, full_name: [], password: null }, 422, 'VALIDATION.FAILED'],
    ['unknown route', 'GET', '/api/v1/nothing-here', undefined, undefined, 404, 'REQUEST.NOT_FOUND'],
  ])('%s → %i %s', async (_label, method, path, token, json, status, code) => {
    const res = await req(method, path, { token, json });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ code, message: expect.any(String) });
    expect(res.text).not.toMatch(/at .*\.ts:\d+|node_modules/);
  });

  it('names the offending fields in validation errors', async () => {
    const res = await req('POST', '/api/v1/auth/register', { json: { email: 'nope', full_name: 'X', password } });
    expect(res.status).toBe(422);
    expect(res.body!.issues).toEqual([{ path: 'email', message: 'Invalid email address' }]);
  });

  it('answers 409 for a duplicate email, whatever its case', async () => {
    const json = { email: 'dupe@example.com', full_name: 'D', password };
    expect((await req('POST', '/api/v1/auth/register', { json })).status).toBe(201);
    const again = await req('POST', '/api/v1/auth/register', { json: { ...json, email: 'DUPE@example.com' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'USER.EMAIL_TAKEN' });
  });

  it('lets exactly one of many simultaneous registrations of one email through', async () => {
    const json = { email: 'race@example.com', full_name: 'R', password };
    const answers = await Promise.all(Array.from({ length: 12 }, () => req('POST', '/api/v1/auth/register', { json })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body!.code === 'USER.EMAIL_TAKEN')).toBe(true);
  });

  it('keeps each call of a tRPC batch apart: a conflict in one never spoils the others', async () => {
    const calls = Array.from({ length: 12 }, (_, i) => ({ email: i % 2 ? ADMIN.email : `batch${i}@example.com`, full_name: 'B', password }));
    const names = calls.map(() => 'auth.register').join(',');
    const body = Object.fromEntries(calls.map((call, i) => [i, call]));
    const res = await fetch(`${t.url}/trpc/${names}?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const results = (await res.json()) as { result?: { data: { email: string } }; error?: { data: { code: string } } }[];
    results.forEach((result, i) => {
      if (i % 2) expect(result.error?.data.code).toBe('USER.EMAIL_TAKEN');
      else expect(result.result?.data.email).toBe(`batch${i}@example.com`);
    });
  });

  it('refuses tRPC batches of more than 20 calls', async () => {
    const names = Array.from({ length: 21 }, () => 'auth.me').join(',');
    const res = await fetch(`${t.url}/trpc/${names}?batch=1`);
    expect(res.status).toBe(400);
  });

  it('counts parallel login attempts before checking them: only the limit gets through', async () => {
    await req('POST', '/api/v1/auth/register', { json: { email: 'parallel@example.com', full_name: 'P', password } });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => req('POST', '/api/v1/auth/login', { json: { username: 'parallel@example.com', password: 'wrong-pass' } })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(2); // LOGIN_MAX_FAILURES=2 in this suite
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
  });

  it('never coerces JSON bodies, on REST or (afterwards) on tRPC', async () => {
    const reg = await req('POST', '/api/v1/auth/register', { json: { email: 'coerce@example.com', full_name: 'C', password } });
    const id = reg.body!.id as number;
    for (const is_active of ['false', 'true', null, 0]) {
      const res = await req('PATCH', `/api/v1/users/${id}`, { token: adminToken, json: { is_active } });
      expect(res.status).toBe(422);
    }
    const form = await req('PATCH', `/api/v1/users/${id}`, { token: adminToken, type: 'application/x-www-form-urlencoded', body: 'is_active=false' });
    expect(form.status).toBe(422);
    const viaTrpc = await fetch(`${t.url}/trpc/users.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ id: String(id), is_active: 'false' }),
    });
    expect(viaTrpc.status).toBe(422);
    const users = (await req('GET', '/api/v1/users?limit=200', { token: adminToken })).body!.items as { id: number; is_active: boolean }[];
    expect(users.find((u) => u.id === id)?.is_active).toBe(true);
  });

  it.each(['', '0x10', '1e3', '-1', ' 5', '5abc'])('rejects the query number %j', async (limit) => {
    const res = await req('GET', `/api/v1/users?limit=${encodeURIComponent(limit)}`, { token: adminToken });
    expect(res.status).toBe(422);
  });

  it('rejects bodies that are not JSON objects', async () => {
    for (const body of ['[]', '[{"full_name":"x"}]', '"text"', '42', 'null']) {
      const res = await req('PATCH', '/api/v1/users/1', { token: adminToken, type: 'application/json', body });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'VALIDATION.FAILED' });
    }
  });

  it('names the scheme on 401 (WWW-Authenticate: Bearer)', async () => {
    const res = await req('GET', '/api/v1/auth/me');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers broken, oversized and foreign bodies with 4xx JSON, changing nothing', async () => {
    const before = (await req('GET', '/api/v1/users?limit=200', { token: adminToken })).body!.total;
    const broken = await req('POST', '/api/v1/auth/register', { type: 'application/json', body: '{"email": "x@example.com",' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'REQUEST.PARSE_ERROR' });
    const huge = await req('POST', '/api/v1/auth/register', { json: { email: 'big@example.com', full_name: 'x'.repeat(200_000), password } });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 'REQUEST.PAYLOAD_TOO_LARGE' });
    const xml = await req('POST', '/api/v1/auth/register', { type: 'application/xml', body: '<user/>' });
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
    expect((await req('GET', '/api/v1/users?limit=200', { token: adminToken })).body!.total).toBe(before);
  });

  it('rejects non-numeric path ids and query numbers with 422', async () => {
    const badId = await req('PATCH', '/api/v1/users/abc', { token: adminToken, json: { full_name: 'x' } });
    expect(badId.status).toBe(422);
    expect(badId.body).toMatchObject({ code: 'VALIDATION.FAILED', issues: [expect.objectContaining({ path: 'id' })] });
    const badLimit = await req('GET', '/api/v1/users?limit=100000', { token: adminToken });
    expect(badLimit.status).toBe(422);
  });

  it('answers the same 422 for a bad path id on every route with an {id}, whatever is wrong with it', async () => {
    type Operation = { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } };
    const doc = (await req('GET', '/openapi.json')).body as unknown as OpenAPIObject;
    const routes = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).flatMap(([method, op]) => (path.includes('{id}') ? [{ method: method.toUpperCase(), path, op }] : [])),
    );
    expect(routes.length).toBeGreaterThanOrEqual(14);
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', '2147483648', '1e3', '%20']) {
      const answers = new Map<string, string[]>();
      for (const { method, path, op } of routes) {
        // The operation's own example body (valid), so the id is the only thing wrong.
        const json = op.requestBody ? (Object.values(op.requestBody.content['application/json']?.examples ?? {})[0]?.value ?? {}) : undefined;
        const res = await req(method, path.replace('{id}', id), { token: adminToken, json });
        const answer = `${res.status} ${res.text}`;
        answers.set(answer, [...(answers.get(answer) ?? []), `${method} ${path}`]);
      }
      expect([...answers.keys()], `id ${id}: ${JSON.stringify([...answers.values()])}`).toEqual([
        `422 ${JSON.stringify({ code: 'VALIDATION.FAILED', message: INPUT_INVALID, issues: [{ path: 'id', message: NOT_AN_ID }] })}`,
      ]);
    }
  });

  it('logs in with JSON naming the account `email` in place of `username`; both must name the same account', async () => {
    await req('POST', '/api/v1/auth/register', { json: { email: 'alias@example.com', full_name: 'A', password } });
    for (const json of [{ email: 'alias@example.com', password }, { email: 'Alias@Example.com', username: 'alias@example.com', password }, { username: 'alias@example.com', password }]) {
      const res = await req('POST', '/api/v1/auth/login', { json });
      expect(res.status, JSON.stringify(json)).toBe(200);
      expect((await req('GET', '/api/v1/auth/me', { token: res.body!.access_token as string })).body).toMatchObject({ email: 'alias@example.com' });
    }
    const both = await req('POST', '/api/v1/auth/login', { json: { email: 'alias@example.com', username: ADMIN.email, password } });
    expect(both.status).toBe(422);
    expect(both.body).toMatchObject({ code: 'VALIDATION.FAILED', issues: [{ path: 'email', message: expect.stringMatching(/different accounts/) }] });
    const neither = await req('POST', '/api/v1/auth/login', { json: { password } });
    expect(neither.status).toBe(422);
    expect(neither.body).toMatchObject({ code: 'VALIDATION.FAILED', issues: [{ path: 'username', message: 'Invalid input: expected string, received undefined' }] });
  });

  it('lists, updates and unblocks users at the seed-style paths', async () => {
    const list = await req('GET', '/api/v1/users?skip=0&limit=1', { token: adminToken });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ skip: 0, limit: 1, items: [expect.objectContaining({ email: ADMIN.email })] });
    const reg = await req('POST', '/api/v1/auth/register', { json: { email: 'patch@example.com', full_name: 'P', password } });
    const id = reg.body!.id as number;
    const patched = await req('PATCH', `/api/v1/users/${id}`, { token: adminToken, json: { full_name: 'Patched', role: 'staff' } });
    expect(patched.body).toMatchObject({ id, full_name: 'Patched', role: 'staff' });
    const unblock = await req('POST', `/api/v1/users/${id}/unblock`, { token: adminToken });
    expect(unblock.status).toBe(200);
    expect(unblock.body).toMatchObject({ id, is_blocked: false });
  });

  it('throttles failed logins with 429 and Retry-After', async () => {
    await req('POST', '/api/v1/auth/register', { json: { email: 'throttle@example.com', full_name: 'T', password } });
    const attempt = () => req('POST', '/api/v1/auth/login', { type: 'application/x-www-form-urlencoded', body: 'username=throttle%40example.com&password=wrong-pass' });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS', retry_after_seconds: expect.any(Number) });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await req('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await req('GET', '/readyz')).body).toEqual({ status: 'ready', database: dialect });
    const doc = await req('GET', '/openapi.json');
    const paths = doc.body!.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/api/v1/auth/login',
        '/api/v1/auth/logout',
        '/api/v1/auth/me',
        '/api/v1/auth/register',
        '/api/v1/auth/password-reset',
        '/api/v1/auth/password-reset/{token}',
        '/api/v1/auth/password-reset/confirm',
        '/api/v1/auth/verify-email',
        '/api/v1/auth/verify-email/{token}',
        '/api/v1/auth/verify-email/confirm',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/users/{id}/unblock',
        '/api/v1/staff',
        '/api/v1/staff/{id}',
        '/api/v1/staff/{staff_id}/settings',
        '/api/v1/availability',
        '/api/v1/availability/slots',
        '/api/v1/availability/{id}',
        '/api/v1/appointments',
        '/api/v1/appointments/{id}',
        '/api/v1/appointments/{id}/cancel',
        '/api/v1/appointments/{id}/reschedule',
        '/api/v1/appointments/{id}/mark-completed',
        '/api/v1/appointments/{id}/mark-no-show',
        '/api/v1/appointments/{id}/history',
        '/api/v1/appointments/{id}/export.ics',
        '/api/v1/appointments/export-all.ics',
        '/api/v1/calendar/feed.ics',
        '/api/v1/calendar/feeds',
        '/api/v1/calendar/feeds/{id}',
        '/api/v1/manage/{token}',
        '/api/v1/manage/{token}/cancel',
        '/api/v1/manage/{token}/reschedule',
        '/api/v1/admin/notifications',
        '/api/v1/admin/notifications/{id}/retry',
        '/api/v1/services',
        '/api/v1/services/{id}',
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}',
        '/api/v1/webhooks/{id}/rotate-secret',
        '/api/v1/webhooks/{id}/test',
        '/api/v1/webhooks/{id}/deliveries',
        '/api/v1/webhooks/deliveries/{id}/retry',
        '/api/v1/api-keys',
        '/api/v1/api-keys/{id}',
      ].sort(),
    );
    expect(Object.keys(paths['/api/v1/auth/register']!.post!.responses)).toContain('201');
    expect(Object.keys(paths['/api/v1/auth/logout']!.post!.responses)).toContain('204');
    expect(paths['/api/v1/auth/password-reset']!.post!.responses).toMatchObject({ 202: { description: 'Accepted; nothing to answer' }, 429: expect.anything() });
    expect(paths['/api/v1/auth/password-reset/{token}']!.get!.responses).toMatchObject({ 200: expect.anything(), 404: expect.anything(), 410: expect.anything() });
    expect(paths['/api/v1/auth/login']!.post).toMatchObject({ requestBody: { content: { 'application/x-www-form-urlencoded': expect.anything() } } });
    // Register works anonymously and with an admin token: Swagger UI must be able to send one.
    expect(paths['/api/v1/auth/register']!.post).toMatchObject({ security: [{}, { OAuth2PasswordBearer: [] }] });
    expect(paths['/api/v1/auth/me']!.get).toMatchObject({ security: [{ OAuth2PasswordBearer: [] }] });
    const components = doc.body!.components as { schemas: Record<string, unknown> };
    expect(Object.keys(components.schemas).sort()).toEqual([
      'AccountLink',
      'ApiKey',
      'Appointment',
      'AppointmentEvent',
      'Availability',
      'CalendarFeed',
      'CreatedApiKey',
      'CreatedCalendarFeed',
      'CreatedWebhook',
      'Error',
      'Notification',
      'NotificationPage',
      'RotatedWebhook',
      'Service',
      'Slot',
      'StaffMember',
      'StaffSettings',
      'Token',
      'User',
      'UserPage',
      'Webhook',
      'WebhookDelivery',
    ]);
    const booking = paths['/api/v1/appointments']!.post as unknown as { parameters: { in: string; name: string }[] };
    expect(booking.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key' }));
  });

  it('serves tRPC at /trpc with the same codes in error data', async () => {
    const res = await req('GET', '/trpc/auth.me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { message: 'Authentication required', data: { code: 'AUTH.NOT_AUTHENTICATED', httpStatus: 401 } } });
  });
});

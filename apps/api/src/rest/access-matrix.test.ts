import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, type ApiKeyScope } from '@appointments/domain';
import { createOpenApiDocument, restProcedures } from './openapi.ts';
import { appRouter } from '../routers/app.ts';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import {
  APPOINTMENT_ROUTES,
  IDOR,
  KEY_ACCESS,
  keyOutcome,
  MATRIX,
  OTHER,
  ROLE_CHANGES,
  ROLES,
  type Outcome,
  type Principal,
  type Role,
  type Target,
} from '@appointments/testkit/access';
import { createServer, type ApiServer } from '../server.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { parseEnv } from '../env.ts';

const HOUR = 3_600_000;
const MISSING_ID = 2_000_000_000;
const PASSWORD = 'matrix-password-1';
const SECRET_NOTES = 'secret-notes-of-client-B';
/** A public address literal: the webhook URL guard lets it through without resolving anything. */
const WEBHOOK_URL = 'https://93.184.215.14/hooks/matrix';
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

const show = (outcome: Outcome) => (typeof outcome === 'number' ? `${outcome}` : `${outcome.status} ${outcome.code}`);
const cells = MATRIX.flatMap((row) =>
  ROLES.map((role) => ({ ...row, role, expected: row.expect[role], label: `${row.operation} × ${role} × ${row.target} → ${show(row.expect[role])}` })),
);
/** Every row again, sent with a key holding one scope only, for each scope. */
const keyCells = API_KEY_SCOPES.flatMap((scope) =>
  MATRIX.map((row) => ({ ...row, scope, expected: keyOutcome(row, scope), label: `${row.operation} × key[${scope}] × ${row.target} → ${show(keyOutcome(row, scope))}` })),
);

describe('the access matrix', () => {
  it('has rows for every REST operation (the .ics routes included) and for nothing else', () => {
    const documented = Object.entries(createOpenApiDocument('matrix').paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).flatMap((method) => (METHODS.has(method) ? [`${method.toUpperCase()} ${path}`] : [])),
    );
    const procedures = restProcedures(appRouter).flatMap(({ meta }) => (meta.openapi ? [`${meta.openapi.method} ${meta.openapi.path}`] : []));
    expect(documented).toEqual(expect.arrayContaining(procedures));
    expect([...new Set(MATRIX.map((row) => row.operation))].sort()).toEqual([...documented].sort());
    expect(new Set(MATRIX.map((row) => `${row.operation} ${row.target}`)).size).toBe(MATRIX.length);
    expect(IDOR.map((row) => row.operation).sort()).toEqual(documented.filter((operation) => operation.includes('{')).sort());
    expect(Object.keys(KEY_ACCESS).sort()).toEqual([...documented].sort());
  });

  it("gives each procedure's declared scope as its key access; those without one refuse keys or are public", () => {
    for (const { meta } of restProcedures(appRouter)) {
      if (!meta.openapi) continue;
      const operation = `${meta.openapi.method} ${meta.openapi.path}`;
      if (meta.scope) expect(KEY_ACCESS[operation], operation).toBe(meta.scope);
      else expect(['signed-in', 'public'], operation).toContain(KEY_ACCESS[operation]);
    }
  });
});

interface Person {
  readonly id: number;
  readonly email: string;
  readonly password: string;
  readonly fullName: string;
  readonly role: 'client' | 'staff' | 'admin';
  readonly token: string;
}
interface Call {
  readonly path: string;
  readonly token?: string | null;
  readonly json?: unknown;
  readonly query?: Record<string, string | number>;
  /** Further checks on an allowed answer (e.g. a list holds only the actor's own things). */
  readonly check?: (answer: Answer) => Promise<void> | void;
}
interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
  readonly body: unknown;
}

const codeOf = (body: unknown) => (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string' ? body.code : undefined);
const messageOf = (body: unknown) => (body && typeof body === 'object' && 'message' in body ? String(body.message) : undefined);
const uids = (ics: string) => [...ics.matchAll(/^UID:appointment-(\d+)@/gm)].map((m) => Number(m[1]));

describe.each(['sqlite', 'postgresql'] as const)('access on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  const people = {} as Record<Principal, Person>;
  let futureSlot = 0;
  let pastSlot = 0;
  let registered = 0;
  let throwaways = 0;
  let firstDay = 0;
  /** One API key per scope, holding that scope only. */
  const keys = {} as Record<ApiKeyScope, string>;

  async function send(method: string, call: Call): Promise<Answer> {
    const url = new URL(call.path, t.url);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {};
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: call.json === undefined ? undefined : JSON.stringify(call.json) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, text, body: type.includes('json') && text ? JSON.parse(text) : text };
  }
  const ok = async (method: string, call: Call) => {
    const answer = await send(method, call);
    if (answer.status >= 300) throw new Error(`fixture ${method} ${call.path}: ${answer.status} ${answer.text}`);
    return answer.body as Record<string, unknown>;
  };
  const repos = () => t.api.services.db.fork();
  const tokenOf = (role: Role) => (role === 'anonymous' ? null : people[role].token);
  const self = (role: Role) => people[role === 'anonymous' ? 'clientA' : role];
  const other = (role: Role) => people[OTHER[role]];
  const otherClient = (role: Role) => people[role === 'clientA' ? 'clientB' : 'clientA'];

  // Fixtures: each in its own hour, so no two appointments ever overlap.
  const nextFuture = () => firstDay + futureSlot++ * HOUR;
  const nextPast = () => firstDay - 30 * 24 * HOUR + pastSlot++ * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  async function appointment(client: Person, staff: Person, when: 'future' | 'started', notes: string | null = null): Promise<number> {
    const start = when === 'future' ? nextFuture() : nextPast();
    const end = start + HOUR;
    const created = await repos().appointments.create({ clientId: client.id, staffId: staff.id, start, end, bufferedStart: start, bufferedEnd: end, notes });
    return created.id;
  }
  const availabilityEntry = async (staff: Principal) =>
    (await ok('POST', { path: '/api/v1/availability', token: people.admin.token, json: { staff_id: people[staff].id, specific_date: '2031-01-01', start_time: '09:00:00', end_time: '10:00:00', is_recurring: false } })).id as number;
  const service = async (staff: Principal) =>
    (await ok('POST', { path: '/api/v1/services', token: people.admin.token, json: { name: `Service for ${staff}`, duration_minutes: 60, currency: 'EUR', staff_ids: [people[staff].id] } })).id as number;
  const feed = async (owner: Person) => (await ok('POST', { path: '/api/v1/calendar/feeds', token: owner.token, json: { name: `feed of ${owner.fullName}` } })) as { id: number; token: string };
  const apiKey = (scopes: ApiKeyScope[]) => ok('POST', { path: '/api/v1/api-keys', token: people.admin.token, json: { name: `Key for ${scopes.join(' ')}`, scopes } });
  async function failedNotification(client: Principal, staff: Principal): Promise<number> {
    const start = nextFuture();
    const booked = await ok('POST', { path: '/api/v1/appointments', token: people.admin.token, json: { staff_id: people[staff].id, client_id: people[client].id, start_time: iso(start), end_time: iso(start + HOUR) } });
    await repos().appointmentChanges.processPending({ reminderLeadMinutes: [24 * 60] }, 10_000); // the worker's step
    const [row] = (await repos().notifications.list({ appointmentId: booked.id as number, offset: 0, limit: 1 })).items;
    await repos().notifications.markFailed(row!.id, '550 test');
    return row!.id;
  }
  const webhook = async () =>
    (await ok('POST', { path: '/api/v1/webhooks', token: people.admin.token, json: { url: WEBHOOK_URL, events: ['appointment.created'] } })).id as number;
  /** A test send to a new endpoint that gave up, as the worker records it after its last retry. */
  async function failedDelivery(): Promise<number> {
    const { id } = await ok('POST', { path: `/api/v1/webhooks/${await webhook()}/test`, token: people.admin.token });
    const now = new Date();
    const claimed = (await repos().webhookDeliveries.claimDue(now, new Date(now.getTime() + 1), 1000)).find((claim) => claim.id === id);
    await repos().webhookDeliveries.recordAttempt(claimed!, { kind: 'failed', statusCode: 500, error: 'matrix' }, now);
    return id as number;
  }
  /** A new account with `role`, created by the admin, and signed in. */
  async function account(key: string, role: Person['role']): Promise<Person> {
    const email = `${key.toLowerCase()}@example.com`;
    const fullName = `Person ${key}`;
    const json = { email, full_name: fullName, password: PASSWORD, role, timezone: 'UTC' };
    const created = await ok('POST', { path: '/api/v1/auth/register', token: people.admin.token, json });
    return { id: created.id as number, email, password: PASSWORD, fullName, role, token: await login(t.url, email, PASSWORD) };
  }
  /** An account link of `purpose` for the account with `email`, as its email would carry it; spent when `used`. */
  async function accountLink(email: string, purpose: 'password_reset' | 'verify_email', used = false): Promise<string> {
    const token = generateToken();
    await repos().accountTokens.issue(email, { id: hashToken(token), purpose, expiresAt: new Date(Date.now() + HOUR), link: 'https://matrix.example/link' }, new Date());
    if (used) await repos().accountTokens.spend(hashToken(token), purpose, new Date());
    return token;
  }
  /** A client nobody signs in as: a password reset ends their sessions, and no cell minds. */
  const throwaway = async () => (await repos().users.create({ email: `throwaway${throwaways++}@example.com`, fullName: 'Throwaway', role: 'client', passwordHash: null, timezone: 'UTC' })).email;
  const linkPurpose = (operation: string) => (operation.includes('password-reset') ? 'password_reset' : 'verify_email');
  /** Every appointment in an .ics or a list must involve `person` (as client or staff). */
  async function onlyTheirs(person: Person, ids: readonly number[]) {
    const found = await Promise.all(ids.map((id) => repos().appointments.findById(id)));
    found.forEach((a, i) => expect([a?.clientId, a?.staffId], `appointment ${ids[i]} is not ${person.email}'s`).toContain(person.id));
  }

  /** The id an `{id}` operation addresses, created fresh for the cell: A and S own it. */
  async function fixtureId(operation: string, actor: Role, target: Target): Promise<number> {
    const path = operation.split(' ')[1]!;
    if (path.startsWith('/api/v1/users/')) return (target === 'other' ? other(actor) : path.endsWith('unblock') ? people.clientA : self(actor)).id;
    if (path.startsWith('/api/v1/staff/')) return people.staffS.id;
    if (path.startsWith('/api/v1/availability/')) return availabilityEntry('staffS');
    if (path.startsWith('/api/v1/services/')) return service('staffS');
    if (path.includes('/mark-')) return appointment(people.clientA, people.staffS, 'started');
    if (path.startsWith('/api/v1/appointments/')) return appointment(people.clientA, people.staffS, 'future');
    if (path.startsWith('/api/v1/calendar/feeds/')) return (await feed(target === 'other' ? other(actor) : self(actor))).id;
    if (path.startsWith('/api/v1/admin/notifications/')) return failedNotification('clientA', 'staffS');
    if (path.startsWith('/api/v1/webhooks/deliveries/')) return failedDelivery();
    if (path.startsWith('/api/v1/webhooks/')) return webhook();
    if (path.startsWith('/api/v1/api-keys/')) return (await apiKey(['users:read'])).id as number;
    throw new Error(`no fixture for ${operation}`);
  }
  /** The body an `{id}` operation sends (matrix cells and IDOR attempts alike). */
  function bodyFor(operation: string, id: number): unknown {
    if (operation === 'PATCH /api/v1/users/{id}') return { full_name: Object.values(people).find((p) => p.id === id)?.fullName ?? 'Nobody' };
    if (operation === 'PATCH /api/v1/staff/{staff_id}/settings') return { min_notice_minutes: null };
    if (operation === 'PATCH /api/v1/staff/{id}') return { title: 'Matrix title' };
    if (operation === 'PATCH /api/v1/availability/{id}') return { start_time: '08:00:00', end_time: '11:00:00' };
    if (operation === 'PATCH /api/v1/services/{id}') return { price_cents: 4500 };
    if (operation === 'PATCH /api/v1/webhooks/{id}') return { description: 'Matrix' };
    if (operation === 'PATCH /api/v1/appointments/{id}') return { notes: 'changed' };
    if (operation.endsWith('/reschedule')) {
      const start = nextFuture();
      return { new_start_time: iso(start), new_end_time: iso(start + HOUR), reason: 'matrix' };
    }
    return operation.startsWith('POST') || operation.startsWith('PATCH') ? {} : undefined;
  }
  const pathWith = (operation: string, id: number | string) => operation.split(' ')[1]!.replace(/\{\w+\}/, String(id));
  /** A manage token for appointment `id` that the API never issued. */
  const forgedToken = (id: number) => `${id}.0.${'A'.repeat(32)}`;

  /** The request for one cell; `{id}` operations use `fixtureId` and `bodyFor`. */
  async function request(operation: string, actor: Role, target: Target): Promise<Call> {
    const token = tokenOf(actor);
    const me = self(actor);
    switch (operation) {
      case 'POST /api/v1/auth/register':
        return { path: '/api/v1/auth/register', token, json: { email: `new${registered++}@example.com`, full_name: 'New', password: PASSWORD, ...(target === 'other' && { role: 'staff' }) } };
      case 'POST /api/v1/auth/login':
        return { path: '/api/v1/auth/login', token, json: { username: me.email, password: me.password } };
      case 'GET /api/v1/auth/me':
        return { path: '/api/v1/auth/me', token, check: ({ body }) => expect(body).toMatchObject({ id: me.id }) };
      case 'POST /api/v1/auth/logout': {
        const fresh = actor === 'anonymous' ? null : await login(t.url, me.email, me.password);
        return { path: '/api/v1/auth/logout', token: fresh, check: async () => expect((await send('GET', { path: '/api/v1/auth/me', token: fresh })).status).toBe(401) };
      }
      case 'POST /api/v1/auth/password-reset':
        return { path: '/api/v1/auth/password-reset', token, json: { email: me.email } };
      case 'GET /api/v1/auth/password-reset/{token}':
      case 'GET /api/v1/auth/verify-email/{token}': {
        const link = await accountLink(me.email, linkPurpose(operation), target === 'revoked');
        return { path: pathWith(operation, link), token, check: ({ body }) => expect(Date.parse((body as { expires_at: string }).expires_at)).toBeGreaterThan(Date.now()) };
      }
      case 'POST /api/v1/auth/password-reset/confirm': {
        const email = await throwaway();
        const link = await accountLink(email, 'password_reset', target === 'revoked');
        return { path: '/api/v1/auth/password-reset/confirm', token, json: { token: link, new_password: PASSWORD }, check: async () => expect(await login(t.url, email, PASSWORD)).toBeTruthy() };
      }
      case 'POST /api/v1/auth/verify-email':
        return { path: '/api/v1/auth/verify-email', token };
      case 'POST /api/v1/auth/verify-email/confirm': {
        const link = await accountLink(me.email, 'verify_email', target === 'revoked');
        return { path: '/api/v1/auth/verify-email/confirm', token, json: { token: link }, check: async () => expect((await repos().users.findById(me.id))?.emailVerified).toBe(true) };
      }
      case 'GET /api/v1/users':
      case 'GET /api/v1/admin/notifications':
      case 'GET /api/v1/webhooks':
      case 'GET /api/v1/api-keys':
        return { path: operation.split(' ')[1]!, token };
      case 'POST /api/v1/api-keys':
        return { path: '/api/v1/api-keys', token, json: { name: 'Matrix key', scopes: ['users:read'] } };
      case 'POST /api/v1/services':
        return { path: '/api/v1/services', token, json: { name: 'Matrix service', duration_minutes: 60, currency: 'EUR', staff_ids: [people.staffS.id] } };
      case 'POST /api/v1/webhooks':
        return { path: '/api/v1/webhooks', token, json: { url: WEBHOOK_URL, events: ['appointment.created'] } };
      case 'GET /api/v1/staff': {
        // Only directory fields, of active staff members only.
        const check = ({ body }: Answer) => {
          const listed = body as Record<string, unknown>[];
          expect(listed.map((entry) => Object.keys(entry).sort())).toEqual(listed.map(() => ['bio', 'full_name', 'id', 'service_ids', 'timezone', 'title']));
          expect(listed.map((entry) => entry.id)).toEqual(expect.arrayContaining([people.staffS.id, people.staffT.id]));
          expect(listed.map((entry) => entry.id)).not.toContain(people.clientA.id);
        };
        return { path: '/api/v1/staff', token, query: { limit: 200 }, check };
      }
      case 'GET /api/v1/services':
        return { path: '/api/v1/services', token, check: ({ body }) => expect((body as { is_active: boolean }[]).every((s) => s.is_active)).toBe(true) };
      case 'POST /api/v1/availability':
        return { path: '/api/v1/availability', token, json: { staff_id: people.staffS.id, specific_date: '2031-01-02', start_time: '09:00:00', end_time: '10:00:00', is_recurring: false } };
      case 'GET /api/v1/availability':
        return { path: '/api/v1/availability', token, query: { staff_id: people.staffS.id } };
      case 'GET /api/v1/availability/slots':
        return { path: '/api/v1/availability/slots', token, query: { staff_id: people.staffS.id, date: iso(firstDay).slice(0, 10), slot_duration: 60 } };
      case 'POST /api/v1/appointments': {
        const start = nextFuture();
        const guest = actor === 'anonymous' && target === 'own' ? { email: `guest${registered++}@example.com`, full_name: 'Guest' } : undefined;
        const json = { staff_id: people.staffS.id, start_time: iso(start), end_time: iso(start + HOUR), ...(target === 'other' && { client_id: otherClient(actor).id }), ...(guest && { guest }) };
        const check = async ({ body }: Answer) => {
          if (guest) expect((await repos().users.findByEmail(guest.email))?.id).toBe((body as { client_id: number }).client_id);
        };
        return { path: '/api/v1/appointments', token, json, check };
      }
      case 'GET /api/v1/appointments':
      case 'GET /api/v1/appointments/export-all.ics': {
        const them = other(actor);
        const query = target === 'other' ? { [them.role === 'staff' ? 'staff_id' : 'client_id']: them.id } : undefined;
        const check = async ({ body, text }: Answer) => {
          const ids = typeof body === 'string' ? uids(text) : (body as { id: number }[]).map((a) => a.id);
          if (actor !== 'admin') await onlyTheirs(me, ids);
        };
        return { path: operation.split(' ')[1]!, token, query, check };
      }
      case 'GET /api/v1/calendar/feed.ics': {
        const owner = target === 'other' ? other(actor) : me;
        const created = actor === 'anonymous' && target === 'own' ? null : await feed(owner);
        if (created && target === 'revoked') await ok('DELETE', { path: `/api/v1/calendar/feeds/${created.id}`, token: owner.token });
        const check = async ({ text, type }: Answer) => {
          expect(type).toMatch(/^text\/calendar/);
          await onlyTheirs(owner, uids(text));
        };
        return { path: '/api/v1/calendar/feed.ics', token, query: created ? { token: created.token } : undefined, check };
      }
      case 'POST /api/v1/calendar/feeds':
        return { path: '/api/v1/calendar/feeds', token, json: { name: 'Phone' } };
      case 'GET /api/v1/manage/{token}':
      case 'POST /api/v1/manage/{token}/cancel':
      case 'POST /api/v1/manage/{token}/reschedule': {
        const id = await appointment(people.clientA, people.staffS, 'future');
        const link = t.api.services.manageTokens.issue({ appointmentId: id, sequence: 0 });
        // Changed since by the admin: the link was for the version before.
        if (target === 'revoked') await ok('PATCH', { path: `/api/v1/appointments/${id}`, token: people.admin.token, json: { notes: 'moved on' } });
        const check = async ({ body }: Answer) => {
          expect(body).toMatchObject({ id, client_id: people.clientA.id, staff_id: people.staffS.id });
          const history = await repos().appointmentEvents.listFor(id);
          if (operation.startsWith('POST')) expect(history.at(-1)?.actorId, 'acts as the client').toBe(people.clientA.id);
        };
        return { path: pathWith(operation, link), token, json: bodyFor(operation, id), check };
      }
      case 'GET /api/v1/calendar/feeds': {
        const check = async ({ body }: Answer) => {
          const own = (await repos().calendarFeeds.listForUser(me.id)).map((f) => f.id);
          expect((body as { id: number }[]).map((f) => f.id).sort()).toEqual(own.sort());
        };
        return { path: '/api/v1/calendar/feeds', token, check };
      }
    }
    const id = await fixtureId(operation, actor, target);
    const check = operation.endsWith('export.ics') ? ({ text }: Answer) => expect(uids(text)).toEqual([id]) : undefined;
    return { path: pathWith(operation, id), token, json: bodyFor(operation, id), check };
  }

  beforeAll(async () => {
    // No-show cells must not block client A half-way through the matrix.
    t = await startTestApi({ createServer, parseEnv }, dialect, { NO_SHOW_BLOCK_THRESHOLD: '1000' });
    const now = Date.now();
    firstDay = now - (now % (24 * HOUR)) + 3 * 24 * HOUR;
    const adminToken = await login(t.url, ADMIN.email, ADMIN.password);
    const admin = (await ok('GET', { path: '/api/v1/auth/me', token: adminToken })) as { id: number; full_name: string };
    people.admin = { id: admin.id, email: ADMIN.email, password: ADMIN.password, fullName: admin.full_name, role: 'admin', token: adminToken };
    const accounts = [
      ['clientA', 'client'],
      ['clientB', 'client'],
      ['staffS', 'staff'],
      ['staffT', 'staff'],
    ] as const;
    await Promise.all(accounts.map(async ([key, role]) => (people[key] = await account(key, role))));
    // Both staff members work around the clock, so any future hour is bookable.
    for (const staff of ['staffS', 'staffT'] as const) {
      for (let day = 0; day < 7; day++) {
        await ok('POST', { path: '/api/v1/availability', token: adminToken, json: { staff_id: people[staff].id, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true } });
      }
    }
    for (const scope of API_KEY_SCOPES) keys[scope] = (await apiKey([scope])).key as string;
  });
  afterAll(() => t?.close());

  it.each(cells)('$label', async ({ operation, role, target, expected, label }) => {
    const call = await request(operation, role, target);
    const answer = await send(operation.split(' ')[0]!, call);
    const actual = { status: answer.status, code: codeOf(answer.body) };
    expect(actual, `${label}: got ${answer.status} ${answer.text.slice(0, 200)}`).toEqual(
      typeof expected === 'number' ? { status: expected, code: undefined } : { status: expected.status, code: expected.code },
    );
    if (typeof expected === 'number') await call.check?.(answer);
  });

  // A key acts with an admin's reach: each cell is the admin's request, with the key in its place.
  it.each(keyCells)('$label', async ({ operation, target, scope, expected, label }) => {
    const call = { ...(await request(operation, 'admin', target)), token: keys[scope] };
    const answer = await send(operation.split(' ')[0]!, call);
    const actual = { status: answer.status, code: codeOf(answer.body) };
    expect(actual, `${label}: got ${answer.status} ${answer.text.slice(0, 200)}`).toEqual(
      typeof expected === 'number' ? { status: expected, code: undefined } : { status: expected.status, code: expected.code },
    );
    if (typeof expected === 'number') await call.check?.(answer);
    else if (expected.code === 'AUTH.SCOPE_MISSING') expect(messageOf(answer.body)).toContain(`"${KEY_ACCESS[operation]}"`);
  });

  /** The other party's resource for an IDOR attempt, what it must never reveal, and proof it was left alone. */
  async function victim(operation: string, attacker: 'clientA' | 'staffS') {
    const them = other(attacker);
    const path = operation.split(' ')[1]!;
    const secrets = [them.email, them.fullName, people.staffT.email, SECRET_NOTES];
    if (path.startsWith('/api/v1/auth/')) {
      // They hold a live link; reaching for it by their id neither finds nor spends it.
      const link = await accountLink(them.email, linkPurpose(operation));
      return { id: them.id, secrets, unchanged: async () => expect((await send('GET', { path: pathWith(operation, link) })).status).toBe(200) };
    }
    if (path.startsWith('/api/v1/users/')) {
      return { id: them.id, secrets, unchanged: async () => expect((await repos().users.findById(them.id))?.fullName).toBe(them.fullName) };
    }
    if (operation === 'GET /api/v1/staff/{id}') {
      // The directory shows a staff member's name, never their email.
      const before = await repos().staffDirectory.findById(people.staffT.id);
      return { id: people.staffT.id, secrets: [them.email, people.staffT.email, SECRET_NOTES], unchanged: async () => expect(await repos().staffDirectory.findById(people.staffT.id)).toEqual(before) };
    }
    if (operation === 'PATCH /api/v1/staff/{id}') {
      await ok('PATCH', { path: `/api/v1/staff/${people.staffT.id}`, token: people.admin.token, json: { title: 'Their own title' } });
      return { id: people.staffT.id, secrets, unchanged: async () => expect(await repos().staffDirectory.findById(people.staffT.id)).toMatchObject({ title: 'Their own title' }) };
    }
    if (path.startsWith('/api/v1/staff/')) {
      // An override the attempt's `null` would reset, so a change would show.
      await ok('PATCH', { path: `/api/v1/staff/${people.staffT.id}/settings`, token: people.admin.token, json: { min_notice_minutes: 5 } });
      const before = await ok('GET', { path: `/api/v1/staff/${people.staffT.id}/settings` });
      return { id: people.staffT.id, secrets, unchanged: async () => expect(await ok('GET', { path: `/api/v1/staff/${people.staffT.id}/settings` })).toEqual(before) };
    }
    if (path.startsWith('/api/v1/services/')) {
      const id = await service('staffT');
      return { id, secrets, unchanged: async () => expect(await repos().services.findById(id)).toMatchObject({ isActive: true, priceCents: 0 }) };
    }
    if (path.startsWith('/api/v1/availability/')) {
      const id = await availabilityEntry('staffT');
      return { id, secrets, unchanged: async () => expect((await repos().availability.findById(id))?.staffId).toBe(people.staffT.id) };
    }
    if (path.startsWith('/api/v1/appointments/') || path.startsWith('/api/v1/manage/')) {
      const id = await appointment(people.clientB, people.staffT, path.includes('/mark-') ? 'started' : 'future', SECRET_NOTES);
      return { id, secrets, unchanged: async () => expect(await repos().appointments.findById(id)).toMatchObject({ status: 'scheduled', notes: SECRET_NOTES, sequence: 0 }) };
    }
    if (path.startsWith('/api/v1/calendar/feeds/')) {
      const created = await feed(them);
      return { id: created.id, secrets, unchanged: async () => expect((await send('GET', { path: '/api/v1/calendar/feed.ics', query: { token: created.token } })).status).toBe(200) };
    }
    if (path.startsWith('/api/v1/webhooks/deliveries/')) {
      const id = await failedDelivery();
      return { id, secrets, unchanged: async () => expect((await repos().webhookDeliveries.findById(id))?.status).toBe('failed') };
    }
    if (path.startsWith('/api/v1/webhooks/')) {
      const id = await webhook();
      const before = await repos().webhooks.findById(id);
      const unchanged = async () => {
        expect(await repos().webhooks.findById(id)).toEqual(before);
        expect((await repos().webhookDeliveries.list({ webhookId: id, limit: 1 })).items).toEqual([]);
      };
      return { id, secrets, unchanged };
    }
    if (path.startsWith('/api/v1/api-keys/')) {
      const created = await apiKey(['appointments:read']);
      return { id: created.id as number, secrets, unchanged: async () => expect((await repos().apiKeys.listActive()).map((key) => key.id)).toContain(created.id) };
    }
    const id = await failedNotification('clientB', 'staffT');
    return { id, secrets, unchanged: async () => expect((await repos().notifications.findById(id))?.status).toBe('failed') };
  }

  const attempts = IDOR.flatMap((row) => (['clientA', 'staffS'] as const).map((attacker) => ({ row, attacker, label: `${row.operation} × ${attacker} → ${OTHER[attacker]}'s id vs a missing id` })));
  it.each(attempts)('IDOR: $label', async ({ row, attacker, label }) => {
    const method = row.operation.split(' ')[0]!;
    const target = await victim(row.operation, attacker);
    const reach = (id: number) => (row.operation.includes('{token}') ? forgedToken(id) : id);
    const attempt = (id: number) => send(method, { path: pathWith(row.operation, reach(id)), token: people[attacker].token, json: bodyFor(row.operation, id) });
    const theirs = await attempt(target.id);
    const missing = await attempt(MISSING_ID);
    const seen = (answer: Answer, id: number) => ({ status: answer.status, code: codeOf(answer.body), message: messageOf(answer.body)?.replaceAll(String(id), '{id}') });
    if (row.hides) {
      expect(seen(theirs, target.id), `${label}: the other party's id must answer as a missing one`).toEqual(seen(missing, MISSING_ID));
      expect([403, 404], label).toContain(theirs.status);
    } else {
      const want = (outcome: Outcome) => (typeof outcome === 'number' ? { status: outcome } : { status: outcome.status, code: outcome.code });
      expect({ status: theirs.status, ...(theirs.status >= 400 && { code: codeOf(theirs.body) }) }, `${label} (${row.why})`).toEqual(want(row.other));
      expect({ status: missing.status, code: codeOf(missing.body) }, label).toEqual(want(row.missing));
    }
    for (const secret of target.secrets) expect(theirs.text, `${label}: leaks ${secret}`).not.toContain(secret);
    await target.unchanged();
  });

  /** What a denied attempt must leave alone: the appointment, its history, its client's counters. */
  async function snapshot(id: number) {
    const appointment = await repos().appointments.findById(id);
    const client = await repos().users.findById(appointment!.clientId);
    const events = await repos().appointmentEvents.listFor(id);
    return { appointment, events, counters: { noShows: client?.noShowCount, completed: client?.completedCount, blocked: client?.isBlocked } };
  }
  const outcome = (answer: Answer) => ({ status: answer.status, code: answer.status >= 400 ? codeOf(answer.body) : undefined });
  const expected = (wanted: Outcome) => (typeof wanted === 'number' ? { status: wanted, code: undefined } : { status: wanted.status, code: wanted.code });

  describe.each(ROLE_CHANGES)('after an admin changes a $from to $to over REST', (change) => {
    let former: Person;
    let feedToken = '';
    /** Appointments of the former role: one started (to mark), one ahead (to change). */
    const theirs = { started: 0, future: 0 };
    /** One appointment the new role owns, if it owns any. */
    let mine: number | undefined;

    beforeAll(async () => {
      former = await account(`former-${change.from}-now-${change.to}`, change.from);
      const [client, staff] = change.from === 'client' ? [former, people.staffS] : change.from === 'staff' ? [people.clientA, former] : [people.clientA, people.staffS];
      theirs.started = await appointment(client, staff, 'started');
      theirs.future = await appointment(client, staff, 'future');
      feedToken = (await feed(former)).token;
      const json = change.to === 'deactivated' ? { is_active: false } : { role: change.to };
      await ok('PATCH', { path: `/api/v1/users/${former.id}`, token: people.admin.token, json });
      if (change.to === 'client') {
        const start = nextFuture();
        const booked = await ok('POST', { path: '/api/v1/appointments', token: former.token, json: { staff_id: people.staffS.id, start_time: iso(start), end_time: iso(start + HOUR) } });
        mine = booked.id as number;
      } else if (change.to === 'staff') mine = await appointment(people.clientB, former, 'future');
    });

    it.each(APPOINTMENT_ROUTES)('%s on an appointment of the former role is refused and changes nothing', async (operation) => {
      const id = operation.includes('/mark-') ? theirs.started : theirs.future;
      const before = await snapshot(id);
      expect(before.appointment?.status).toBe('scheduled');
      const answer = await send(operation.split(' ')[0]!, { path: pathWith(operation, id), token: former.token, json: bodyFor(operation, id) });
      expect(outcome(answer), answer.text.slice(0, 200)).toEqual(expected(change.denied));
      expect(await snapshot(id)).toEqual(before);
    });

    it.each(['GET /api/v1/appointments', 'GET /api/v1/appointments/export-all.ics', 'GET /api/v1/calendar/feed.ics'])(
      '%s holds only what the new role owns',
      async (operation) => {
        const path = operation.split(' ')[1]!;
        const isFeed = path === '/api/v1/calendar/feed.ics';
        const answer = await send('GET', isFeed ? { path, query: { token: feedToken } } : { path, token: former.token });
        expect(outcome(answer), answer.text.slice(0, 200)).toEqual(expected(isFeed ? change.feed : change.lists));
        if (answer.status !== 200) return;
        const ids = typeof answer.body === 'string' ? uids(answer.text) : (answer.body as { id: number }[]).map((a) => a.id);
        expect(ids).toEqual(mine === undefined ? [] : [mine]);
      },
    );
  });
});

import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { errorAnswerProblem as problem, generateCorpus, type ErrorAnswer as Answer, MISSING_ID, MUTATION_KINDS, type HostileRequest, type MutationKind, type Role } from '@appointments/testkit/hostile';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';
import { appRouter } from '../routers/app.ts';
import { MAX_BODY_BYTES } from './body.ts';
import { inputExamples, restProcedures } from './openapi.ts';

const password = 'correct-horse-1';
/**
 * Every table's rows, read with plain SQL: sessions by id only (using a token may slide its expiry),
 * and not the login throttle's attempt windows (counting hostile login attempts is their job).
 */
async function snapshot(databaseUrl: string): Promise<Record<string, string[]>> {
  const rows = (table: string, all: Record<string, unknown>[]) =>
    [table, table === 'attempt_windows' ? [] : all.map((row) => JSON.stringify(table === 'sessions' ? row.id : row)).sort()] as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.replace(/^sqlite:\/\//, ''), { readOnly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[];
      return Object.fromEntries(tables.map(({ name }) => rows(name, db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[])));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
    const entries = await Promise.all(tables.rows.map(async ({ table_name }) => rows(table_name, (await client.query(`select * from "${table_name}"`)).rows)));
    return Object.fromEntries(entries);
  } finally {
    await client.end();
  }
}

/** The next Monday at least two days away, as YYYY-MM-DD. */
function nextMonday(): string {
  const day = new Date(Date.now() + 2 * 86_400_000);
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7));
  return day.toISOString().slice(0, 10);
}

describe.each(['sqlite', 'postgresql'] as const)('hostile input on %s', (dialect) => {
  let t: TestApi;
  const tokens: Record<Role, string | undefined> = { anonymous: undefined, client: undefined, staff: undefined, admin: undefined };
  /** Logout cases get a session of their own: if one ever succeeded it must not log the corpus out. */
  let logoutToken: string;
  const ids = { staff: 0, client: 0, appointment: 0, availability: 0, feed: 0 };

  async function send(c: Pick<HostileRequest, 'method' | 'path' | 'headers' | 'body' | 'role' | 'target'>): Promise<Answer> {
    const token = /logout/.test(c.target) && c.role !== 'anonymous' ? logoutToken : tokens[c.role];
    const headers: Record<string, string> = { ...(token && { authorization: `Bearer ${token}` }), ...c.headers };
    const res = await fetch(`${t.url}${c.path}`, { method: c.method, headers, body: c.body });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }
  const call = async (role: Role, method: string, path: string, json?: unknown) => {
    const answer = await send({ role, method, path, target: path, ...(json !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }) });
    return { ...answer, body: answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {} };
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    tokens.admin = await login(t.url, ADMIN.email, ADMIN.password);
    logoutToken = await login(t.url, ADMIN.email, ADMIN.password);
    const staff = await call('admin', 'POST', '/api/v1/auth/register', { email: 'staff@example.com', full_name: 'Berlin Staff', password, role: 'staff', timezone: 'Europe/Berlin' });
    const client = await call('anonymous', 'POST', '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Client', password });
    ids.staff = staff.body.id as number;
    ids.client = client.body.id as number;
    tokens.staff = await login(t.url, 'staff@example.com', password);
    tokens.client = await login(t.url, 'client@example.com', password);
    const rule = await call('staff', 'POST', '/api/v1/availability', { staff_id: ids.staff, day_of_week: 0, start_time: '08:00:00', end_time: '18:00:00', is_recurring: true });
    ids.availability = rule.body.id as number;
    const monday = nextMonday();
    const booked = await call('client', 'POST', '/api/v1/appointments', { staff_id: ids.staff, start_time: `${monday}T10:00:00`, end_time: `${monday}T11:00:00` });
    expect(booked.status, booked.text).toBe(201);
    ids.appointment = booked.body.id as number;
    ids.feed = (await call('client', 'POST', '/api/v1/calendar/feeds', { name: 'Phone' })).body.id as number;
  });
  afterAll(() => t?.close());

  // Hostile *text* that is valid text: stored verbatim and returned unchanged, as JSON (never rendered).
  const VALID_HOSTILE = ["'; drop table users; --", "' OR '1'='1", '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '${7*7}{{7*7}}', 'Ünïcödé 😀 ⁂ ﷽', '😀'.repeat(1_000)];

  it('stores valid hostile text verbatim and returns it unchanged (these are the only writes)', async () => {
    for (const text of VALID_HOSTILE) {
      const updated = await call('client', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { notes: text, reason: text.slice(0, 500) });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.type).toMatch(/^application\/json/);
      expect(updated.body.notes).toBe(text);
      expect((await call('staff', 'GET', `/api/v1/appointments/${ids.appointment}`)).body.notes).toBe(text);
      const history = (await call('client', 'GET', `/api/v1/appointments/${ids.appointment}/history`)).body as unknown as { reason: string | null }[];
      expect(history.at(-1)?.reason).toBe(text.slice(0, 500));

      const named = await call('client', 'PATCH', `/api/v1/users/${ids.client}`, { full_name: text.slice(0, 200) });
      expect(named.status, named.text).toBe(200);
      expect(named.body.full_name).toBe(text.slice(0, 200));
      const feed = await call('client', 'POST', '/api/v1/calendar/feeds', { name: text.slice(0, 100) });
      expect(feed.status, feed.text).toBe(201);
      expect(feed.body.name).toBe(text.slice(0, 100));
    }
    const viaTrpc = await send({ role: 'client', target: 'tRPC', method: 'GET', path: `/trpc/appointments.get?input=${encodeURIComponent(JSON.stringify({ id: ids.appointment }))}` });
    expect((JSON.parse(viaTrpc.text) as { result: { data: { notes: string } } }).result.data.notes).toBe(VALID_HOSTILE.at(-1));

    // Notes may hold newlines; in the calendar file they stay inside DESCRIPTION, never become properties of their own.
    const crlf = 'first line\r\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT';
    expect((await call('client', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { notes: crlf })).body.notes).toBe(crlf);
    const ics = await send({ role: 'client', target: 'ics', method: 'GET', path: `/api/v1/appointments/${ids.appointment}/export.ics` });
    expect(ics.status).toBe(200);
    expect(ics.text).not.toMatch(/^ATTENDEE:mailto:evil/m);
    expect(ics.text.match(/^END:VEVENT/gm)).toHaveLength(1);
  });

  /** Cases the generator cannot build: they need real rows (a Berlin staff member, an appointment, a feed). */
  function handWritten(): HostileRequest[] {
    const c = (kind: MutationKind, target: string, role: Role, label: string, method: string, path: string, json?: unknown): HostileRequest => ({
      kind, target, role, label, method, path, ...(json !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });
    const gap = { start: '2026-03-29T02:30:00', end: '2026-03-29T03:30:00' };
    const trpc = (name: string, input: unknown) => `/trpc/${name}?input=${encodeURIComponent(JSON.stringify(input))}`;
    const cases: HostileRequest[] = [
      c('dst-gap', 'REST POST /api/v1/appointments', 'client', 'start in the gap', 'POST', '/api/v1/appointments', { staff_id: ids.staff, start_time: gap.start, end_time: gap.end }),
      c('dst-gap', 'REST POST /api/v1/appointments', 'admin', 'end in the gap', 'POST', '/api/v1/appointments', { staff_id: ids.staff, client_id: ids.client, start_time: '2026-03-29T01:30:00', end_time: '2026-03-29T02:15:00' }),
      c('dst-gap', 'tRPC appointments.create', 'client', 'start in the gap', 'POST', '/trpc/appointments.create', { staff_id: ids.staff, start_time: gap.start, end_time: gap.end }),
      c('dst-gap', 'REST POST /api/v1/appointments/{id}/reschedule', 'client', 'into the gap', 'POST', `/api/v1/appointments/${ids.appointment}/reschedule`, { new_start_time: gap.start, new_end_time: gap.end }),
      c('dst-gap', 'tRPC appointments.reschedule', 'staff', 'into the gap', 'POST', '/trpc/appointments.reschedule', { id: ids.appointment, new_start_time: gap.start, new_end_time: gap.end }),
      c('dst-gap', 'REST POST /api/v1/availability', 'staff', 'time off from the gap', 'POST', '/api/v1/availability', { staff_id: ids.staff, kind: 'unavailable', start_datetime: gap.start, end_datetime: '2026-03-30T00:00:00' }),
      c('dst-gap', 'REST PATCH /api/v1/availability/{id}', 'admin', 'range from the gap', 'PATCH', `/api/v1/availability/${ids.availability}`, { kind: 'unavailable', start_datetime: gap.start, end_datetime: '2026-03-30T00:00:00' }),
      c('dst-gap', 'REST GET /api/v1/appointments', 'staff', 'from= in the gap', 'GET', `/api/v1/appointments?from=${gap.start}`),
      c('dst-gap', 'tRPC appointments.list', 'staff', 'from in the gap', 'GET', trpc('appointments.list', { from: gap.start })),
      c('dst-gap', 'ICS export-all', 'staff', 'from= in the gap', 'GET', `/api/v1/appointments/export-all.ics?from=${gap.start}`),
      c('impossible-date', 'REST POST /api/v1/appointments', 'client', 'Feb 30 for a real staff member', 'POST', '/api/v1/appointments', { staff_id: ids.staff, start_time: '2026-02-30T10:00:00', end_time: '2026-02-30T11:00:00' }),
      c('impossible-date', 'REST POST /api/v1/appointments/{id}/reschedule', 'client', 'year 10000', 'POST', `/api/v1/appointments/${ids.appointment}/reschedule`, { new_start_time: '10000-01-01T10:00:00', new_end_time: '10000-01-01T11:00:00' }),
      c('impossible-date', 'REST POST /api/v1/appointments/{id}/reschedule', 'client', 'end before start', 'POST', `/api/v1/appointments/${ids.appointment}/reschedule`, { new_start_time: '2026-06-01T11:00:00', new_end_time: '2026-06-01T10:00:00' }),
      c('impossible-date', 'REST GET /api/v1/availability/slots', 'anonymous', 'Feb 30', 'GET', `/api/v1/availability/slots?staff_id=${ids.staff}&date=2026-02-30`),
      c('impossible-date', 'REST GET /api/v1/availability/slots', 'anonymous', 'range backwards', 'GET', `/api/v1/availability/slots?staff_id=${ids.staff}&from=2026-03-10&to=2026-03-01`),
      c('impossible-date', 'REST GET /api/v1/availability/slots', 'anonymous', 'range of 100 years', 'GET', `/api/v1/availability/slots?staff_id=${ids.staff}&from=2026-03-01&to=2126-03-01`),
      c('impossible-date', 'REST POST /api/v1/availability', 'staff', '25:00 end', 'POST', '/api/v1/availability', { staff_id: ids.staff, day_of_week: 1, start_time: '09:00:00', end_time: '25:00:00', is_recurring: true }),
      c('impossible-date', 'REST POST /api/v1/availability', 'staff', 'year 0', 'POST', '/api/v1/availability', { staff_id: ids.staff, specific_date: '0000-01-01', start_time: '09:00:00', end_time: '10:00:00' }),
      c('bad-enum', 'REST PATCH /api/v1/appointments/{id}', 'client', 'status completed', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { status: 'completed' }),
      c('bad-enum', 'REST PATCH /api/v1/users/{id}', 'admin', 'role root', 'PATCH', `/api/v1/users/${ids.client}`, { role: 'root' }),
      c('injection', 'REST PATCH /api/v1/appointments/{id}', 'client', 'NUL in notes', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { notes: 'a\u0000b' }),
      c('injection', 'REST PATCH /api/v1/users/{id}', 'client', 'CRLF in full_name', 'PATCH', `/api/v1/users/${ids.client}`, { full_name: 'x\r\nBcc: a@example.com' }),
      c('injection', 'REST PATCH /api/v1/users/{id}', 'client', 'timezone path traversal', 'PATCH', `/api/v1/users/${ids.client}`, { timezone: '../../etc/localtime' }),
      // Stored free text on real rows: NUL (PostgreSQL cannot store it) and lone surrogates (stored as U+FFFD) are refused.
      c('injection', 'REST PATCH /api/v1/appointments/{id}', 'client', 'NUL in reason', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { notes: 'ok', reason: 'a\u0000b' }),
      c('injection', 'REST POST /api/v1/appointments/{id}/cancel', 'client', 'NUL in reason', 'POST', `/api/v1/appointments/${ids.appointment}/cancel`, { reason: 'a\u0000b' }),
      c('injection', 'tRPC appointments.cancel', 'client', 'NUL in reason', 'POST', '/trpc/appointments.cancel', { id: ids.appointment, reason: 'a\u0000b' }),
      c('injection', 'REST POST /api/v1/calendar/feeds', 'client', 'NUL in name', 'POST', '/api/v1/calendar/feeds', { name: 'a\u0000b' }),
      c('injection', 'REST POST /api/v1/calendar/feeds', 'client', 'CRLF in name', 'POST', '/api/v1/calendar/feeds', { name: 'a\r\nb' }),
      c('injection', 'REST POST /api/v1/calendar/feeds', 'client', 'lone surrogate in name', 'POST', '/api/v1/calendar/feeds', { name: 'a\ud800b' }),
      c('injection', 'REST PATCH /api/v1/appointments/{id}', 'client', 'lone surrogate in notes', 'PATCH', `/api/v1/appointments/${ids.appointment}`, { notes: 'a\udc00b' }),
      c('injection', 'tRPC users.update', 'client', 'lone surrogate in full_name', 'POST', '/trpc/users.update', { id: ids.client, full_name: '\ud800' }),
      c('injection', 'REST POST /api/v1/auth/register', 'anonymous', 'lone surrogate in a key', 'POST', '/api/v1/auth/register', { email: 'new@example.com', full_name: 'N', password, '\ud800': 1 }),
      c('injection', 'REST POST /api/v1/auth/login', 'anonymous', 'NUL in username', 'POST', '/api/v1/auth/login', { username: 'client@example.com\u0000', password }),
      c('unknown-fields', 'REST GET /api/v1/appointments/{id}', 'client', '?constructor=&__proto__=', 'GET', `/api/v1/appointments/${MISSING_ID}?constructor=1&__proto__=2`),
      c('unknown-fields', 'REST PATCH /api/v1/users/{id}', 'client', 'role beside full_name', 'PATCH', `/api/v1/users/${ids.client}`, { full_name: '', role: 'admin' }),
      c('wrong-type', 'REST PATCH /api/v1/users/{id}', 'client', 'is_active as string', 'PATCH', `/api/v1/users/${ids.client}`, { is_active: 'false' }),
    ];
    // The three raw .ics routes: bad ids, filters and tokens, as every role.
    for (const role of ['anonymous', 'client', 'staff', 'admin'] as const) {
      for (const id of ['abc', '1.5', '-1', '0', '99999999999999999999', '%00', String(MISSING_ID)]) cases.push(c('bad-path-id', 'ICS export one', role, id, 'GET', `/api/v1/appointments/${id}/export.ics`));
      for (const query of ['status=unknown', 'from=2026-02-30T10:00:00', 'to=tomorrow', 'staff_id=abc', 'client_id=-1', 'staff_id=1e309', 'from=%00', `staff_id=${MISSING_ID}&client_id=1.5`, 'from=10000-01-01T00:00:00']) {
        cases.push(c('query-shape', 'ICS export-all', role, query, 'GET', `/api/v1/appointments/export-all.ics?${query}`));
      }
    }
    cases.push(c('query-shape', 'ICS export-all', 'client', 'staff_id of someone else', 'GET', `/api/v1/appointments/export-all.ics?client_id=${ids.staff}`));
    // Slots by service: bad, unknown or missing ids, and a service with a staff member it cannot be asked about.
    for (const query of ['service_id=abc', 'service_id=1.5', 'service_id=0', `service_id=${MISSING_ID}`, `service_id=${MISSING_ID}&staff_id=${ids.staff}`, 'staff_id=&service_id=', 'slot_duration=60', `service_id=${MISSING_ID}&slot_duration=7`]) {
      cases.push(c('query-shape', 'REST GET /api/v1/availability/slots', 'anonymous', query, 'GET', `/api/v1/availability/slots?${query}&date=2026-03-02`));
    }
    for (const token of ['', 'x', 'a'.repeat(32), "' OR 1=1 --", '%00', 'A'.repeat(5_000), 'abcdefghijklmnopqrstuvwxyz234567&token=x']) {
      cases.push(c('bad-token', 'ICS feed', 'anonymous', token.slice(0, 20), 'GET', `/api/v1/calendar/feed.ics?token=${token}`));
    }
    cases.push(c('bad-token', 'ICS feed', 'anonymous', 'no token', 'GET', '/api/v1/calendar/feed.ics'));
    // Manage links: tokens that are not ours, in every shape, on each route, as every role.
    const week = nextMonday();
    for (const token of ['x', 'A'.repeat(200), "' OR 1=1 --", '%00', '..', '1.-1.x', `${ids.appointment}.0.${'A'.repeat(32)}`, `${ids.appointment}.0.${'A'.repeat(33)}`, '%F0%9F%98%80.0.x']) {
      for (const role of ['anonymous', 'client'] as const) {
        cases.push(
          c('bad-token', 'REST GET /api/v1/manage/{token}', role, token.slice(0, 20), 'GET', `/api/v1/manage/${token}`),
          c('bad-token', 'REST POST /api/v1/manage/{token}/cancel', role, token.slice(0, 20), 'POST', `/api/v1/manage/${token}/cancel`, { reason: 'x' }),
          c('bad-token', 'REST POST /api/v1/manage/{token}/reschedule', role, token.slice(0, 20), 'POST', `/api/v1/manage/${token}/reschedule`, { new_start_time: `${week}T10:00:00` }),
        );
      }
    }
    return cases;
  }

  it('answers every malformed or hostile request with a 4xx JSON error and changes nothing', { timeout: 120_000 }, async () => {
    const corpus = [...generateCorpus({ procedures: restProcedures(appRouter), examples: inputExamples(appRouter), maxBodyBytes: MAX_BODY_BYTES }, ADMIN.email), ...handWritten()];
    const before = await snapshot(t.databaseUrl);
    const failures: string[] = [];
    const counts = new Map<string, number>();
    const slow: [number, string][] = [];
    // Sixteen at a time: fast, yet gentle enough that PostgreSQL's pool never becomes the story.
    const queue = [...corpus];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const started = performance.now();
          const answer = await send(c).catch((error: unknown) => ({ status: 0, type: null, text: String(error) }));
          const wrong = problem(answer);
          if (wrong) failures.push(`${c.target} [${c.kind}, ${c.role}] ${c.label}: ${wrong}`);
          slow.push([performance.now() - started, `${c.target} ${c.kind} ${c.label}`]);
          const key = `${c.target.split(' ')[0]} ${c.kind}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }),
    );
    const after = await snapshot(t.databaseUrl);
    console.info(slow.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([ms, what]) => `${Math.round(ms)}ms ${what.slice(0, 100)}`).join('\n'));
    console.info(`hostile corpus on ${dialect}: ${corpus.length} requests`, Object.fromEntries([...counts].sort()));
    expect(Object.keys(MUTATION_KINDS).filter((kind) => !corpus.some((c) => c.kind === kind))).toEqual([]);
    // A guest's details let a booking in without a token: each of their fields is sent anonymously, by both transports.
    const anonymousGuest = (target: string, label: string) => corpus.some((c) => c.role === 'anonymous' && c.target === target && c.label.startsWith(label));
    for (const target of ['REST POST /api/v1/appointments', 'tRPC appointments.create']) {
      for (const label of ['guest=', 'guest.email=', 'guest.full_name=', 'guest.timezone=', 'guest.locale=', 'without guest.email', 'without guest.full_name']) {
        expect(anonymousGuest(target, label), `${target} ${label}`).toBe(true);
      }
    }
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(failures).toEqual([]);
    expect(after).toEqual(before);
  });
});

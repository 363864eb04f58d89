import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, rest, setUpScenario, slot, type RestAnswer, type Scenario, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../routers/caller.ts';
import { createServer, type ApiServer } from '../server.ts';
import { parseEnv } from '../env.ts';

describe.each(['sqlite', 'postgresql'] as const)('lists paged by cursor on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let s: Scenario;
  const get = (path: string, token = s.adminToken) => rest(t.url, 'GET', path, { token });
  const book = async (index: number, client = s.clients[index % s.clients.length]!) => {
    const answer = await rest(t.url, 'POST', '/api/v1/appointments', { token: client.token, json: { staff_id: s.staffId, ...slot(s, index) } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as number;
  };
  const ids = (answer: RestAnswer) => (answer.body as unknown as { id: number }[]).map((item) => item.id);
  /** The path in a `Link: <path>; rel="next"` header. */
  const linked = (answer: RestAnswer) => /^<([^>]+)>; rel="next"$/.exec(answer.headers.get('link') ?? '')?.[1];
  const refusal = async (path: string) => {
    const { status, body } = await get(path);
    return { status, code: body.code, issues: body.issues };
  };

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    s = await setUpScenario(t.url, ADMIN, 3);
    // Slots 10 to 29, booked out of order so ids and starts disagree.
    for (const index of [17, 12, 25, 10, 29, 14, 21, 11, 19, 27, 13, 23, 16, 28, 15, 20, 26, 18, 24, 22]) await book(index);
  });
  afterAll(() => t?.close());

  it('reads every appointment once, in start order, following Link while others book and cancel', async () => {
    const first = await get(`/api/v1/appointments?status=scheduled&staff_id=${s.staffId}&limit=4`);
    expect(first.status).toBe(200);
    const seen = ids(first);
    const cursor = first.headers.get('x-next-cursor');
    expect(linked(first)).toBe(`/api/v1/appointments?status=scheduled&staff_id=${s.staffId}&limit=4&cursor=${cursor}`);

    // Between pages: one booked before the pages read (never seen), one after them (seen), one unread cancelled (not seen).
    await book(3);
    const late = await book(35);
    const all = ids(await get(`/api/v1/appointments?staff_id=${s.staffId}&limit=200`));
    const cancelled = all.at(-2)!;
    expect((await rest(t.url, 'POST', `/api/v1/appointments/${cancelled}/cancel`, { token: s.adminToken, json: {} })).status).toBe(200);

    let next = linked(first);
    let pages = 1;
    while (next) {
      const page = await get(next);
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      next = linked(page);
      pages++;
      if (!next) expect(page.headers.get('x-next-cursor')).toBeNull();
    }
    const scheduled = (await get(`/api/v1/appointments?status=scheduled&staff_id=${s.staffId}&limit=200`)).body as unknown as { id: number; start_time: string }[];
    const expected = scheduled.filter((a) => Date.parse(a.start_time) >= Date.parse(slot(s, 10).start_time)).map((a) => a.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(late);
    expect(seen).not.toContain(cancelled);
    expect(pages).toBe(Math.ceil(expected.length / 4));
  });

  it('answers the same pages at an offset, and no headers on the last page', async () => {
    const path = `/api/v1/appointments?staff_id=${s.staffId}&from=${slot(s, 10).start_time}&limit=5`;
    const first = await get(path);
    const second = await get(linked(first)!);
    expect(ids(await get(`${path}&offset=5`))).toEqual(ids(second));
    const whole = await get(`${path.replace('limit=5', 'limit=200')}`);
    expect(whole.headers.get('x-next-cursor')).toBeNull();
    expect(whole.headers.get('link')).toBeNull();
    // A page ending exactly at the last row has no next page: it read one row past its limit and found none.
    const exact = await get(`${path.replace('limit=5', `limit=${ids(whole).length}`)}`);
    expect(exact.headers.get('x-next-cursor')).toBeNull();
  });

  it('pages over tRPC with next_cursor, and the cursor keeps the filters', async () => {
    const admin = createCaller({ services: t.api.services, token: s.adminToken });
    const filter = { staff_id: s.staffId, status: 'scheduled' as const, limit: 3 };
    const first = await admin.appointments.list(filter);
    expect(first.items).toHaveLength(3);
    const second = await admin.appointments.list({ ...filter, cursor: first.next_cursor! });
    expect(second.items.map((a) => a.id)).toEqual((await admin.appointments.list({ ...filter, offset: 3 })).items.map((a) => a.id));
    await expect(admin.appointments.list({ ...filter, status: 'cancelled', cursor: first.next_cursor! })).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    const everything = await admin.appointments.list({ staff_id: s.staffId, limit: 200 });
    expect(everything.next_cursor).toBeNull();
  });

  it('refuses a cursor that is malformed, tampered, of another list or other filters, or with an offset: 422, and reads on as before', async () => {
    const base = `/api/v1/appointments?status=scheduled&staff_id=${s.staffId}&limit=2`;
    const cursor = (await get(base)).headers.get('x-next-cursor')!;
    const users = (await get('/api/v1/users?limit=1')).body.next_cursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { l: string; f: string; k: number[] };
    const forged = (change: object) => Buffer.from(JSON.stringify({ ...decoded, ...change })).toString('base64url');
    const invalid = (path: string, message: RegExp) => ({ status: 422, code: 'VALIDATION.FAILED', issues: [{ path, message: expect.stringMatching(message) }] });
    expect(await refusal(`${base}&cursor=not-a-cursor`)).toEqual(invalid('cursor', /^Not a cursor/));
    expect(await refusal(`${base}&cursor=${forged({ k: ['x', 1] })}`)).toEqual(invalid('cursor', /^Not a cursor/));
    expect(await refusal(`${base}&cursor=${forged({ k: [1] })}`)).toEqual(invalid('cursor', /^Not a cursor/));
    expect(await refusal(`${base}&cursor=${forged({ l: 'users' })}`)).toEqual(invalid('cursor', /another list/));
    expect(await refusal(`${base}&cursor=${users}`)).toEqual(invalid('cursor', /^Not a cursor/));
    expect(await refusal(`/api/v1/users?cursor=${cursor}`)).toEqual(invalid('cursor', /^Not a cursor/));
    expect(await refusal(`${base.replace('scheduled', 'cancelled')}&cursor=${cursor}`)).toEqual(invalid('cursor', /other filters/));
    expect(await refusal(`${base}&offset=2&cursor=${cursor}`)).toEqual(invalid('offset', /not both/));
    expect(await refusal(`${base}&cursor=${'A'.repeat(201)}`)).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
    expect((await get(`${base}&cursor=${cursor}`)).status).toBe(200);
  });

  it('pages users (admin) by next_cursor, counting them on offset pages only', async () => {
    const first = await get('/api/v1/users?limit=2');
    expect(first.body).toMatchObject({ skip: 0, limit: 2, total: 5, next_cursor: expect.any(String) });
    const seen = (first.body.items as { id: number }[]).map((u) => u.id);
    let cursor = first.body.next_cursor as string | null;
    while (cursor) {
      const page = await get(`/api/v1/users?limit=2&cursor=${cursor}`);
      expect(page.body.total).toBeNull();
      expect(page.headers.get('x-next-cursor')).toBeNull();
      seen.push(...(page.body.items as { id: number }[]).map((u) => u.id));
      cursor = page.body.next_cursor as string | null;
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toHaveLength(5);
    expect(await refusal(`/api/v1/users?skip=2&cursor=${first.body.next_cursor as string}`)).toMatchObject({ status: 422, issues: [{ path: 'skip' }] });
  });

  it('pages notifications newest first, keeping the filter', async () => {
    await t.api.services.db.fork().appointmentChanges.processPending({ reminderLeadMinutes: [24 * 60] }, 10_000);
    const all = (await get('/api/v1/admin/notifications?status=pending&limit=200')).body;
    expect(all.next_cursor).toBeNull();
    const expected = (all.items as { id: number }[]).map((n) => n.id);
    expect(expected.length).toBeGreaterThan(7);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/api/v1/admin/notifications?status=pending&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.total).toBe(cursor ? null : expected.length);
      seen.push(...(page.body.items as { id: number }[]).map((n) => n.id));
      cursor = page.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it('pages services by id, over REST as a bare array with headers', async () => {
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      const created = await rest(t.url, 'POST', '/api/v1/services', { token: s.adminToken, json: { name, duration_minutes: 30, currency: 'EUR', price_cents: 100, staff_ids: [s.staffId] } });
      expect(created.status).toBe(201);
    }
    const first = await get('/api/v1/services?limit=2', s.clients[0]!.token);
    expect(first.body).toHaveLength(2);
    const second = await get(linked(first)!, s.clients[0]!.token);
    const third = await get(linked(second)!, s.clients[0]!.token);
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(ids(await get('/api/v1/services')));
    expect(linked(third)).toBeUndefined();
    expect(ids(await get('/api/v1/services?limit=2&offset=2'))).toEqual(ids(second));
    expect(await refusal(`/api/v1/services?include_inactive=true&cursor=${first.headers.get('x-next-cursor')!}`)).toMatchObject({ status: 422, issues: [{ path: 'cursor' }] });
  });
});

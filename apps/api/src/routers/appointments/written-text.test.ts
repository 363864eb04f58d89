import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, setUpAllDayStaff, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const HOUR = 3_600_000;
const PASSWORD = 'written-password-1';
/** A right-to-left override: "Pay ‮RUE 001‬" displays as "Pay 100 EUR". */
const OVERRIDE = 'Pay \u202eRUE 001\u202c';
const ISOLATE = 'Room \u2067B\u2069 4';

/** Notes and reasons follow the one rule names follow (writtenText): no control characters, no bidi overrides. */
describe.each(['sqlite', 'postgresql'] as const)('written text over REST on %s', (dialect) => {
  let t: TestApi;
  let admin: string;
  let client = '';
  let staffId = 0;
  let nextHour = 0;
  const iso = (ms: number) => new Date(ms).toISOString();

  async function send(method: string, path: string, token: string, body: unknown) {
    const res = await fetch(`${t.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { code?: string; issues?: { path: string; message: string }[] } };
  }
  const refused = (field: string) => ({
    status: 422,
    body: { code: 'VALIDATION.FAILED', issues: [{ path: field, message: expect.stringMatching(/must not contain control characters or bidirectional overrides/) }] },
  });
  async function book(notes: string | null = null): Promise<{ id: number }> {
    const start = (nextHour += HOUR);
    return restCall(t.url, client, 'POST', '/api/v1/appointments', { staff_id: staffId, start_time: iso(start), end_time: iso(start + HOUR), notes });
  }
  const stored = (id: number) => restCall<Record<string, unknown>>(t.url, admin, 'GET', `/api/v1/appointments/${id}`);

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    ({ admin, staffId, client, next: nextHour } = await setUpAllDayStaff(t, PASSWORD));
  });
  afterAll(() => t?.close());

  it('refuses notes with a bidi override or isolate on booking, storing nothing', async () => {
    const before = (await restCall<unknown[]>(t.url, admin, 'GET', '/api/v1/appointments')).length;
    for (const notes of [OVERRIDE, ISOLATE]) {
      const start = (nextHour += HOUR);
      const res = await send('POST', '/api/v1/appointments', client, { staff_id: staffId, start_time: iso(start), end_time: iso(start + HOUR), notes });
      expect(res).toMatchObject(refused('notes'));
    }
    expect(await restCall<unknown[]>(t.url, admin, 'GET', '/api/v1/appointments')).toHaveLength(before);
  });

  it('keeps line breaks and right-to-left text with its marks in notes', async () => {
    const notes = 'Bring:\n- the report\r\n- שלום\u200f';
    expect(await stored((await book(notes)).id)).toMatchObject({ notes });
  });

  it.each([
    ['PATCH', '', 'notes', { notes: OVERRIDE }],
    ['PATCH', '', 'reason', { status: 'cancelled', reason: OVERRIDE }],
    ['POST', '/cancel', 'reason', { reason: ISOLATE }],
    ['POST', '/reschedule', 'reason', { new_start_time: '2031-01-01T10:00:00Z', new_end_time: '2031-01-01T11:00:00Z', reason: OVERRIDE }],
    ['POST', '/mark-no-show', 'reason', { reason: OVERRIDE }],
    ['POST', '/mark-completed', 'reason', { reason: ISOLATE }],
  ])('refuses %s /appointments/{id}%s with a bidi %s, changing nothing', async (method, suffix, field, body) => {
    const { id } = await book('as booked');
    const before = await stored(id);
    expect(await send(method, `/api/v1/appointments/${id}${suffix}`, admin, body)).toMatchObject(refused(field));
    expect(await stored(id)).toEqual(before);
    expect(await restCall<unknown[]>(t.url, admin, 'GET', `/api/v1/appointments/${id}/history`)).toHaveLength(1);
  });

  it('refuses names and feed labels by the same rule', async () => {
    expect(await send('POST', '/api/v1/auth/register', admin, { email: 'bidi@example.com', full_name: OVERRIDE, password: PASSWORD })).toMatchObject(refused('full_name'));
    expect(await send('POST', '/api/v1/calendar/feeds', client, { name: ISOLATE })).toMatchObject(refused('name'));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const PASSWORD = 'directory-password-1';
const FIELDS = ['bio', 'full_name', 'id', 'service_ids', 'timezone', 'title'];

describe.each(['sqlite', 'postgresql'] as const)('the staff directory on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  const tokens = { admin: '', staff: '', otherStaff: '', client: '' };
  const ids = { admin: 0, staff: 0, otherStaff: 0, formerStaff: 0, client: 0 };
  const services = { offered: 0, retired: 0, others: 0 };

  async function rest(method: string, path: string, { token, json }: { token?: string; json?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, t.url), { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown> & { code?: string }) : undefined };
  }
  const outcome = async (answer: ReturnType<typeof rest>) => {
    const { status, body } = await answer;
    return { status, code: body?.code };
  };
  async function account(key: string, role: 'client' | 'staff', fullName: string) {
    const json = { email: `${key}@directory.test`, full_name: fullName, password: PASSWORD, role, timezone: 'Europe/Berlin' };
    return (await rest('POST', '/api/v1/auth/register', { token: tokens.admin, json })).body!.id as number;
  }
  const service = async (name: string, staffIds: number[]) =>
    (await rest('POST', '/api/v1/services', { token: tokens.admin, json: { name, duration_minutes: 60, currency: 'EUR', staff_ids: staffIds } })).body!.id as number;
  const entry = (id: number) => rest('GET', `/api/v1/staff/${id}`);

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    tokens.admin = await login(t.url, ADMIN.email, ADMIN.password);
    ids.admin = (await rest('GET', '/api/v1/auth/me', { token: tokens.admin })).body!.id as number;
    ids.staff = await account('staff', 'staff', 'John Staff');
    ids.otherStaff = await account('other', 'staff', 'Other Staff');
    ids.formerStaff = await account('former', 'staff', 'Former Staff');
    ids.client = await account('client', 'client', 'Jane Client');
    // Created in this order, so the staff member's ids come out unsorted in the writes.
    services.others = await service('Group class', [ids.otherStaff, ids.staff]);
    services.offered = await service('Consultation', [ids.staff]);
    services.retired = await service('Retired', [ids.staff, ids.formerStaff]);
    await rest('DELETE', `/api/v1/services/${services.retired}`, { token: tokens.admin });
    await rest('PATCH', `/api/v1/users/${ids.formerStaff}`, { token: tokens.admin, json: { is_active: false } });
    tokens.staff = await login(t.url, 'staff@directory.test', PASSWORD);
    tokens.otherStaff = await login(t.url, 'other@directory.test', PASSWORD);
    tokens.client = await login(t.url, 'client@directory.test', PASSWORD);
  });
  afterAll(() => t?.close());

  it('lists active staff members only, by id, with exactly the directory fields and their active services, to anyone', async () => {
    const listed = await rest('GET', '/api/v1/staff');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { id: ids.staff, full_name: 'John Staff', timezone: 'Europe/Berlin', title: null, bio: null, service_ids: [services.others, services.offered] },
      { id: ids.otherStaff, full_name: 'Other Staff', timezone: 'Europe/Berlin', title: null, bio: null, service_ids: [services.others] },
    ]);
    for (const item of listed.body as unknown as Record<string, unknown>[]) expect(Object.keys(item).sort()).toEqual(FIELDS);
    expect(listed.text).not.toMatch(/@directory\.test|no_show|completed|is_active|role/);
    // Signed in or not, the same list; paging by id.
    expect((await rest('GET', '/api/v1/staff', { token: tokens.client })).body).toEqual(listed.body);
    expect((await rest('GET', '/api/v1/staff?limit=1&offset=1')).body).toEqual([(listed.body as unknown as unknown[])[1]]);
    expect((await rest('GET', '/api/v1/staff?offset=2')).body).toEqual([]);
    // Keyset: the next page's cursor in headers, followed through Link; none after the last.
    const head = await rest('GET', '/api/v1/staff?limit=1');
    expect(head.body).toEqual([(listed.body as unknown as unknown[])[0]]);
    const link = /^<([^>]+)>; rel="next"$/.exec(head.headers.get('link') ?? '')?.[1];
    expect(link).toContain(`cursor=${encodeURIComponent(head.headers.get('x-next-cursor')!)}`);
    const tail = await rest('GET', link!);
    expect({ body: tail.body, next: tail.headers.get('x-next-cursor') }).toEqual({ body: [(listed.body as unknown as unknown[])[1]], next: null });
    expect(await outcome(rest('GET', '/api/v1/staff?cursor=bogus'))).toEqual({ status: 422, code: 'VALIDATION.FAILED' });
    for (const query of ['limit=0', 'limit=201', 'offset=-1', 'limit=x']) expect(await outcome(rest('GET', `/api/v1/staff?${query}`)), query).toEqual({ status: 422, code: 'VALIDATION.FAILED' });
  });

  it('finds an active staff member by id; anyone else (unknown, inactive, client, admin) is 404 STAFF.NOT_FOUND', async () => {
    const found = await entry(ids.staff);
    expect(found.status).toBe(200);
    expect(Object.keys(found.body!).sort()).toEqual(FIELDS);
    expect(found.body).toMatchObject({ id: ids.staff, full_name: 'John Staff', service_ids: [services.others, services.offered] });
    for (const id of [ids.formerStaff, ids.client, ids.admin, 2_000_000_000]) {
      expect(await outcome(entry(id)), `id ${id}`).toEqual({ status: 404, code: 'STAFF.NOT_FOUND' });
    }
  });

  it('lets the staff member and admins set title and bio (null clears); others are refused and nothing changes', async () => {
    const mine = await rest('PATCH', `/api/v1/staff/${ids.staff}`, { token: tokens.staff, json: { title: '  Senior consultant ', bio: 'Ten years.\nAsk me anything.' } });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ ...(await entry(ids.staff)).body, title: 'Senior consultant', bio: 'Ten years.\nAsk me anything.' });
    const byAdmin = await rest('PATCH', `/api/v1/staff/${ids.staff}`, { token: tokens.admin, json: { bio: null } });
    expect(byAdmin.body).toMatchObject({ title: 'Senior consultant', bio: null });
    const before = (await entry(ids.staff)).body;
    const refused = [
      [tokens.otherStaff, 403, 'AUTH.FORBIDDEN'],
      [tokens.client, 403, 'AUTH.FORBIDDEN'],
      [undefined, 401, 'AUTH.NOT_AUTHENTICATED'],
    ] as const;
    for (const [token, status, code] of refused) {
      expect(await outcome(rest('PATCH', `/api/v1/staff/${ids.staff}`, { token, json: { title: 'Hijacked' } }))).toEqual({ status, code });
    }
    // A client patching their own id is no staff member either.
    expect(await outcome(rest('PATCH', `/api/v1/staff/${ids.client}`, { token: tokens.client, json: { title: 'Me' } }))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    // An admin learns that an id is not in the directory.
    for (const id of [ids.formerStaff, ids.client, 2_000_000_000]) {
      expect(await outcome(rest('PATCH', `/api/v1/staff/${id}`, { token: tokens.admin, json: { title: 'X' } })), `id ${id}`).toEqual({ status: 404, code: 'STAFF.NOT_FOUND' });
    }
    expect((await entry(ids.staff)).body).toEqual(before);
  });

  it.each([
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['a bio over 5000 characters', { bio: 'x'.repeat(5001) }],
    ['a line break in the title', { title: 'Senior\nconsultant' }],
    ['a control character in the bio', { bio: 'Ten\u0007years' }],
    ['a bidirectional override in the title', { title: 'Senior \u202Econsultant' }],
    ['a number for a title', { title: 42 }],
    ['a list for a bio', { bio: ['x'] }],
  ])('refuses %s with 422 VALIDATION.FAILED, changing nothing', async (_label, json) => {
    const before = (await entry(ids.otherStaff)).body;
    expect(await outcome(rest('PATCH', `/api/v1/staff/${ids.otherStaff}`, { token: tokens.otherStaff, json }))).toEqual({ status: 422, code: 'VALIDATION.FAILED' });
    expect((await entry(ids.otherStaff)).body).toEqual(before);
  });

  it('serves the same over tRPC: staff.list, staff.get, staff.update', async () => {
    const anonymous = createCaller({ services: t.api.services });
    const asOther = createCaller({ services: t.api.services, token: tokens.otherStaff });
    const updated = await asOther.staff.update({ id: ids.otherStaff, title: 'Yoga teacher' });
    expect(updated).toMatchObject({ id: ids.otherStaff, title: 'Yoga teacher', service_ids: [services.others] });
    expect(await anonymous.staff.get({ id: ids.otherStaff })).toEqual(updated);
    expect((await anonymous.staff.list()).items.map((member) => member.id)).toEqual([ids.staff, ids.otherStaff]);
    const first = await anonymous.staff.list({ limit: 1 });
    expect(first.items.map((member) => member.id)).toEqual([ids.staff]);
    const second = await anonymous.staff.list({ limit: 1, cursor: first.next_cursor! });
    expect({ ids: second.items.map((member) => member.id), next: second.next_cursor }).toEqual({ ids: [ids.otherStaff], next: null });
    await expect(asOther.staff.update({ id: ids.staff, title: 'Nope' })).rejects.toMatchObject({ cause: { code: 'AUTH.FORBIDDEN' } });
  });
});

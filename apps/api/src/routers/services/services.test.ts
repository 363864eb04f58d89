import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const PASSWORD = 'services-password-1';

describe.each(['sqlite', 'postgresql'] as const)('the services catalogue on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let adminToken: string;
  let clientToken: string;
  let staffToken: string;
  const ids = { client: 0, staff: 0, otherStaff: 0, formerStaff: 0 };

  async function rest(method: string, path: string, { token, json }: { token?: string; json?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, t.url), { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown> & { code?: string }) : undefined };
  }
  const refusal = async (answer: Promise<{ status: number; body?: { code?: string } }>) => {
    const { status, body } = await answer;
    return { status, code: body?.code };
  };
  async function account(email: string, role: 'client' | 'staff') {
    const created = await rest('POST', '/api/v1/auth/register', { token: adminToken, json: { email, full_name: `The ${role}`, password: PASSWORD, role, timezone: 'UTC' } });
    return created.body!.id as number;
  }
  const consultation = (staffIds: number[]) => ({ name: 'Consultation', duration_minutes: 60, currency: 'EUR', price_cents: 5000, staff_ids: staffIds });

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    adminToken = await login(t.url, ADMIN.email, ADMIN.password);
    ids.client = await account('client@services.test', 'client');
    ids.staff = await account('staff@services.test', 'staff');
    ids.otherStaff = await account('other-staff@services.test', 'staff');
    ids.formerStaff = await account('former-staff@services.test', 'staff');
    await rest('PATCH', `/api/v1/users/${ids.formerStaff}`, { token: adminToken, json: { is_active: false } });
    clientToken = await login(t.url, 'client@services.test', PASSWORD);
    staffToken = await login(t.url, 'staff@services.test', PASSWORD);
  });
  afterAll(() => t?.close());

  it('creates with defaults, reads, changes and lists a service', async () => {
    const created = await rest('POST', '/api/v1/services', { token: adminToken, json: consultation([ids.otherStaff, ids.staff, ids.staff]) });
    expect(created.status).toBe(201);
    const id = created.body!.id as number;
    expect(created.body).toEqual({
      id,
      name: 'Consultation',
      description: null,
      duration_minutes: 60,
      location: null,
      price_cents: 5000,
      currency: 'EUR',
      buffer_before_minutes: null,
      buffer_after_minutes: null,
      capacity: 1,
      reminder_lead_minutes: null,
      staff_ids: [ids.staff, ids.otherStaff].sort((a, b) => a - b),
      is_active: true,
    });
    expect(await rest('GET', `/api/v1/services/${id}`)).toEqual({ status: 200, body: created.body });

    const changed = await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { location: 'Room 2', buffer_after_minutes: 10, capacity: 8, staff_ids: [ids.staff] } });
    expect(changed).toEqual({ status: 200, body: { ...created.body, location: 'Room 2', buffer_after_minutes: 10, capacity: 8, staff_ids: [ids.staff] } });
    const cleared = await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { location: null, staff_ids: [] } });
    expect(cleared.body).toMatchObject({ location: null, staff_ids: [], buffer_after_minutes: 10 });

    const listed = await rest('GET', '/api/v1/services', { token: clientToken });
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(cleared.body);
  });

  it("sets a service's own reminder lead times (deduplicated, longest first), and returns it to the deployment's with null", async () => {
    const created = await rest('POST', '/api/v1/services', { token: adminToken, json: { ...consultation([ids.staff]), reminder_lead_minutes: [60, 1440, 60] } });
    expect(created).toMatchObject({ status: 201, body: { reminder_lead_minutes: [1440, 60] } });
    const id = created.body!.id as number;
    expect((await rest('GET', `/api/v1/services/${id}`)).body).toMatchObject({ reminder_lead_minutes: [1440, 60] });
    expect((await t.api.services.db.fork().services.findById(id))?.reminderLeadMinutes).toEqual([1440, 60]);
    // Other changes leave them be; [] means no reminder at all; null, the deployment's.
    expect((await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { price_cents: 1 } })).body).toMatchObject({ reminder_lead_minutes: [1440, 60] });
    expect((await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { reminder_lead_minutes: [] } })).body).toMatchObject({ reminder_lead_minutes: [] });
    expect((await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { reminder_lead_minutes: null } })).body).toMatchObject({ reminder_lead_minutes: null });
    const admin = createCaller({ services: t.api.services, token: adminToken });
    expect((await admin.services.update({ id, reminder_lead_minutes: [30] })).reminder_lead_minutes).toEqual([30]);
    for (const wrong of [[0], [1.5], [525_601], Array.from({ length: 11 }, (_, i) => i + 1), '60']) {
      expect(await refusal(rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { reminder_lead_minutes: wrong } })), JSON.stringify(wrong)).toEqual({
        status: 422,
        code: 'VALIDATION.FAILED',
      });
    }
    expect((await rest('GET', `/api/v1/services/${id}`)).body).toMatchObject({ reminder_lead_minutes: [30] });
  });

  it('is the same over tRPC', async () => {
    const admin = createCaller({ services: t.api.services, token: adminToken });
    const anyone = createCaller({ services: t.api.services, token: undefined });
    const created = await admin.services.create({ ...consultation([ids.staff]), name: 'Massage', capacity: 3 });
    expect(created).toMatchObject({ name: 'Massage', capacity: 3, staff_ids: [ids.staff], is_active: true });
    expect(await anyone.services.get({ id: created.id })).toEqual(created);
    expect(await admin.services.update({ id: created.id, price_cents: 0 })).toEqual({ ...created, price_cents: 0 });
    await admin.services.delete({ id: created.id });
    expect((await anyone.services.list({})).items.map((s) => s.id)).not.toContain(created.id);
    await expect(anyone.services.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deactivates on DELETE: the row stays, hidden from all but admins, and can come back', async () => {
    const id = (await rest('POST', '/api/v1/services', { token: adminToken, json: consultation([ids.staff]) })).body!.id as number;
    expect((await rest('DELETE', `/api/v1/services/${id}`, { token: adminToken })).status).toBe(204);
    expect((await t.api.services.db.fork().services.findById(id))?.isActive).toBe(false);

    for (const token of [undefined, clientToken, staffToken]) {
      expect(await refusal(rest('GET', `/api/v1/services/${id}`, { token }))).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
      expect(((await rest('GET', '/api/v1/services', { token })).body as unknown as { id: number }[]).map((s) => s.id)).not.toContain(id);
    }
    expect((await rest('GET', `/api/v1/services/${id}`, { token: adminToken })).body).toMatchObject({ id, is_active: false });
    expect(((await rest('GET', '/api/v1/services', { token: adminToken })).body as unknown as { id: number }[]).map((s) => s.id)).not.toContain(id);
    const all = (await rest('GET', '/api/v1/services?include_inactive=true', { token: adminToken })).body as unknown as { id: number; is_active: boolean }[];
    expect(all).toContainEqual(expect.objectContaining({ id, is_active: false }));
    const onlyActive = (await rest('GET', '/api/v1/services?include_inactive=false', { token: adminToken })).body as unknown as { id: number }[];
    expect(onlyActive.map((s) => s.id)).not.toContain(id);

    expect((await rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { is_active: true } })).body).toMatchObject({ is_active: true });
    expect((await rest('GET', `/api/v1/services/${id}`)).status).toBe(200);
  });

  it('refuses non-admins every write, and inactive services to them', async () => {
    const id = (await rest('POST', '/api/v1/services', { token: adminToken, json: consultation([ids.staff]) })).body!.id as number;
    for (const token of [clientToken, staffToken]) {
      expect(await refusal(rest('POST', '/api/v1/services', { token, json: consultation([ids.staff]) }))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
      expect(await refusal(rest('PATCH', `/api/v1/services/${id}`, { token, json: { price_cents: 1 } }))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
      expect(await refusal(rest('DELETE', `/api/v1/services/${id}`, { token }))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
      expect(await refusal(rest('GET', '/api/v1/services?include_inactive=true', { token }))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    }
    expect(await refusal(rest('POST', '/api/v1/services', { json: consultation([ids.staff]) }))).toEqual({ status: 401, code: 'AUTH.NOT_AUTHENTICATED' });
    expect(await refusal(rest('GET', '/api/v1/services?include_inactive=true'))).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    expect((await rest('GET', `/api/v1/services/${id}`)).body).toMatchObject({ price_cents: 5000, is_active: true });
  });

  it('refuses staff_ids that are not active staff members: a client, a deactivated one, an admin, an unknown id', async () => {
    const admin = (await rest('GET', '/api/v1/auth/me', { token: adminToken })).body!.id as number;
    const id = (await rest('POST', '/api/v1/services', { token: adminToken, json: consultation([ids.staff]) })).body!.id as number;
    for (const wrong of [ids.client, ids.formerStaff, admin, 2_000_000_000]) {
      expect(await refusal(rest('POST', '/api/v1/services', { token: adminToken, json: consultation([ids.staff, wrong]) })), `id ${wrong}`).toEqual({ status: 422, code: 'SERVICE.INVALID' });
      expect(await refusal(rest('PATCH', `/api/v1/services/${id}`, { token: adminToken, json: { staff_ids: [wrong] } })), `id ${wrong}`).toEqual({ status: 422, code: 'SERVICE.INVALID' });
    }
    expect((await rest('GET', `/api/v1/services/${id}`)).body).toMatchObject({ staff_ids: [ids.staff] });
  });

  it('refuses invalid fields with 422 and writes nothing', async () => {
    const before = (await t.api.services.db.fork().services.list({ includeInactive: true, limit: 1000 })).items.length;
    const invalid: [string, Record<string, unknown>][] = [
      ['duration not whole minutes', { duration_minutes: 30.5 }],
      ['duration of zero', { duration_minutes: 0 }],
      ['duration past a day', { duration_minutes: 1441 }],
      ['capacity of zero', { capacity: 0 }],
      ['capacity past 1000', { capacity: 1001 }],
      ['lower-case currency', { currency: 'eur' }],
      ['four-letter currency', { currency: 'EURO' }],
      ['negative price', { price_cents: -1 }],
      ['negative buffer', { buffer_before_minutes: -5 }],
      ['buffer past the bound', { buffer_after_minutes: 24 * 60 + 1 }],
      ['empty name', { name: ' ' }],
      ['control characters in the name', { name: 'Cut\u0000' }],
    ];
    for (const [label, change] of invalid) {
      expect(await refusal(rest('POST', '/api/v1/services', { token: adminToken, json: { ...consultation([ids.staff]), ...change } })), label).toEqual({ status: 422, code: 'VALIDATION.FAILED' });
    }
    expect((await t.api.services.db.fork().services.list({ includeInactive: true, limit: 1000 })).items.length).toBe(before);
    expect(await refusal(rest('PATCH', '/api/v1/services/2000000000', { token: adminToken, json: { price_cents: 1 } }))).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
    expect(await refusal(rest('DELETE', '/api/v1/services/2000000000', { token: adminToken }))).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
    expect(await refusal(rest('GET', '/api/v1/services/2000000000'))).toEqual({ status: 404, code: 'SERVICE.NOT_FOUND' });
  });
});

describe('a service shorter than MIN_APPOINTMENT_MINUTES', () => {
  let t: TestApi<ApiServer>;
  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite', { MIN_APPOINTMENT_MINUTES: '30' });
  });
  afterAll(() => t?.close());

  it('is refused on create and on change (SERVICE.INVALID)', async () => {
    const admin = createCaller({ services: t.api.services, token: await login(t.url, ADMIN.email, ADMIN.password) });
    await expect(admin.services.create({ name: 'Quick', duration_minutes: 29, currency: 'EUR' })).rejects.toMatchObject({ cause: { code: 'SERVICE.INVALID' } });
    const service = await admin.services.create({ name: 'Quick', duration_minutes: 30, currency: 'EUR' });
    await expect(admin.services.update({ id: service.id, duration_minutes: 15 })).rejects.toMatchObject({ cause: { code: 'SERVICE.INVALID' } });
    expect((await admin.services.get({ id: service.id })).duration_minutes).toBe(30);
  });
});

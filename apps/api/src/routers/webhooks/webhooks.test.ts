import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, login, rest, startTestApi, type RestAnswer, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const HOUR = 3_600_000;
const MISSING_ID = 2_000_000_000;
/** A public address literal: the guard lets it through without resolving anything. */
const PUBLIC_URL = 'https://93.184.215.14/hooks/appointments';
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
const WEBHOOK_FIELDS = ['created_at', 'description', 'disabled_reason', 'events', 'id', 'is_active', 'updated_at', 'url'];

describe.each(['sqlite', 'postgresql'] as const)('webhooks on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let token: string;
  const call = (method: string, path: string, json?: unknown) => rest(t.url, method, path, { token, json });
  const refusal = async (answer: Promise<RestAnswer>) => {
    const { status, body } = await answer;
    return { status, code: body.code, message: body.message };
  };
  const create = async (json: Record<string, unknown> = {}) => {
    const answer = await call('POST', '/api/v1/webhooks', { url: PUBLIC_URL, events: ['appointment.created'], ...json });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { id: number; secret: string } & Record<string, unknown>;
  };
  const ping = async (webhookId: number) => (await call('POST', `/api/v1/webhooks/${webhookId}/test`)).body as { id: number; status: string };
  const repos = () => t.api.services.db.fork();
  /** Claims what is due as the worker would, at `at` and for a millisecond: the claimed deliveries as the worker sees them. */
  const claim = (at: number) => repos().webhookDeliveries.claimDue(new Date(at), new Date(at + 1), 100);
  /** Every delivery due now gives up, as after its last retry (each test starts with no endpoint, so only its own are due). */
  async function failDue() {
    for (const claimed of await claim(Date.now())) await repos().webhookDeliveries.recordAttempt(claimed, { kind: 'failed', statusCode: 500, error: 'boom' }, new Date());
  }
  const stored = async () => (await repos().webhooks.list({ limit: 1000 })).items.length;
  const ids = (answer: RestAnswer) => (answer.body as unknown as { id: number }[]).map((item) => item.id);

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect);
    token = await login(t.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    for (const { id } of (await repos().webhooks.list({ limit: 1000 })).items) await repos().webhooks.delete(id);
  });

  it('creates, reads, lists, changes and deletes an endpoint; its secret is shown on creation only', async () => {
    const before = Date.now();
    const created = await create({ events: ['appointment.created', 'client.blocked'], description: ' Front desk CRM ' });
    expect(created).toEqual({
      id: expect.any(Number),
      url: PUBLIC_URL,
      events: ['appointment.created', 'client.blocked'],
      description: 'Front desk CRM',
      is_active: true,
      disabled_reason: null,
      created_at: expect.any(String),
      updated_at: created.created_at,
      secret: expect.stringMatching(SECRET),
    });
    expect(Buffer.from(created.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(Date.parse(created.created_at as string)).toBeGreaterThanOrEqual(before - 1000);
    const { secret, ...webhook } = created;

    const read = await call('GET', `/api/v1/webhooks/${webhook.id}`);
    expect(read).toMatchObject({ status: 200, body: webhook });
    const listed = await call('GET', '/api/v1/webhooks');
    expect(listed.body).toContainEqual(webhook);
    const changed = await call('PATCH', `/api/v1/webhooks/${webhook.id}`, { events: ['appointment.cancelled'], description: null, url: 'https://93.184.215.14/other' });
    expect(changed).toMatchObject({ status: 200, body: { ...webhook, events: ['appointment.cancelled'], description: null, url: 'https://93.184.215.14/other', updated_at: expect.any(String) } });
    for (const answer of [read, listed, changed]) {
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      for (const item of [answer.body].flat() as object[]) expect(Object.keys(item).sort()).toEqual(WEBHOOK_FIELDS);
    }

    expect((await call('DELETE', `/api/v1/webhooks/${webhook.id}`)).status).toBe(204);
    expect(await refusal(call('GET', `/api/v1/webhooks/${webhook.id}`))).toEqual({ status: 404, code: 'WEBHOOK.NOT_FOUND', message: `Webhook ${webhook.id} not found` });
    expect(ids(await call('GET', '/api/v1/webhooks'))).not.toContain(webhook.id);
  });

  it('answers 404 WEBHOOK.NOT_FOUND for an unknown id on every route of one endpoint', async () => {
    for (const [method, path, json] of [
      ['GET', ''],
      ['PATCH', '', { description: 'x' }],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/test'],
      ['GET', '/deliveries'],
    ] as const) {
      expect(await refusal(call(method, `/api/v1/webhooks/${MISSING_ID}${path}`, json)), `${method} ${path}`).toMatchObject({ status: 404, code: 'WEBHOOK.NOT_FOUND' });
    }
  });

  it('is the same over tRPC, where lists answer { items, next_cursor }', async () => {
    const admin = createCaller({ services: t.api.services, token });
    const created = await admin.webhooks.create({ url: PUBLIC_URL, events: ['appointment.no_show'] });
    expect(created).toMatchObject({ events: ['appointment.no_show'], description: null, is_active: true, secret: expect.stringMatching(SECRET) });
    const { secret: _secret, ...webhook } = created;
    expect(await admin.webhooks.get({ id: created.id })).toEqual(webhook);
    expect((await admin.webhooks.list({})).items).toContainEqual(webhook);
    expect(await admin.webhooks.update({ id: created.id, is_active: false })).toMatchObject({ ...webhook, is_active: false });
    const delivery = await admin.webhooks.test({ id: created.id });
    expect((await admin.webhooks.deliveries({ id: created.id })).items).toEqual([delivery]);
    await admin.webhooks.delete({ id: created.id });
    await expect(admin.webhooks.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'WEBHOOK.NOT_FOUND' } });
  });

  it('rotates the secret: a new one shown once, the old one kept as previous for 24 hours', async () => {
    const { id, secret: first } = await create();
    const before = Date.now();
    const rotated = await call('POST', `/api/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { secret, previous_secret_expires_at: expiresAt, ...webhook } = rotated.body as { secret: string; previous_secret_expires_at: string };
    expect(secret).toMatch(SECRET);
    expect(secret).not.toBe(first);
    expect(Object.keys(webhook).sort()).toEqual(WEBHOOK_FIELDS);
    expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(before + 24 * HOUR);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    // Deliveries are signed by both until then, and by the new one alone after.
    await ping(id);
    const expiry = Date.parse(expiresAt);
    expect((await claim(expiry - 1000)).map((c) => c.webhook.secrets)).toEqual([[secret, first]]);
    expect((await claim(expiry + 1000)).map((c) => c.webhook.secrets)).toEqual([[secret]]);
    expect(JSON.stringify((await call('GET', `/api/v1/webhooks/${id}`)).body)).not.toContain(secret);
  });

  it.each([
    ['http://127.0.0.1/', "The webhook URL's address 127.0.0.1 is private, local or reserved; webhooks are sent to public addresses only."],
    ['http://localhost/', "The webhook URL's host localhost is a local or internal name; webhooks are sent to public hosts only."],
    ['http://169.254.169.254/', "The webhook URL's address 169.254.169.254 is private, local or reserved; webhooks are sent to public addresses only."],
    ['ftp://x', 'The webhook URL must start with https:// or http://.'],
    ['https://user:pw@example.com/', 'The webhook URL must not contain a user name or password.'],
  ])('refuses %s with 422 WEBHOOK.URL_NOT_ALLOWED and stores nothing, on creation and on change', async (url, reason) => {
    const before = await stored();
    expect(await refusal(call('POST', '/api/v1/webhooks', { url, events: ['appointment.created'] }))).toEqual({ status: 422, code: 'WEBHOOK.URL_NOT_ALLOWED', message: reason });
    expect(await stored()).toBe(before);
    const { id } = await create();
    expect(await refusal(call('PATCH', `/api/v1/webhooks/${id}`, { url, description: 'changed' }))).toEqual({ status: 422, code: 'WEBHOOK.URL_NOT_ALLOWED', message: reason });
    expect((await call('GET', `/api/v1/webhooks/${id}`)).body).toMatchObject({ url: PUBLIC_URL, description: null });
  });

  it.each([
    ['no events', []],
    ['an unknown event', ['appointment.exploded']],
    ['a test message, which nobody subscribes to', ['ping']],
    ['an event twice', ['appointment.created', 'appointment.created']],
    ['not a list', 'appointment.created'],
  ])('refuses %s with 422 VALIDATION.FAILED', async (_label, events) => {
    const before = await stored();
    expect(await refusal(call('POST', '/api/v1/webhooks', { url: PUBLIC_URL, events }))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
    expect(await stored()).toBe(before);
    const { id } = await create();
    expect(await refusal(call('PATCH', `/api/v1/webhooks/${id}`, { events }))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
  });

  it('queues a test message: a pending ping, in the delivery log', async () => {
    const { id } = await create();
    const sent = await call('POST', `/api/v1/webhooks/${id}/test`);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      id: expect.any(Number),
      event_type: 'ping',
      webhook_id: id,
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      last_error: null,
      next_attempt_at: expect.any(String),
      delivered_at: null,
      created_at: sent.body.next_attempt_at,
    });
    expect((await call('GET', `/api/v1/webhooks/${id}/deliveries`)).body).toEqual([sent.body]);
  });

  it('retries a failed delivery (202, pending again), refuses a pending one (409) and an unknown one (404)', async () => {
    const { id } = await create();
    const delivery = await ping(id);
    expect(await refusal(call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`))).toEqual({
      status: 409,
      code: 'WEBHOOK.DELIVERY_NOT_FAILED',
      message: `Webhook delivery ${delivery.id} is pending; only failed deliveries can be retried`,
    });
    await failDue();
    expect((await call('GET', `/api/v1/webhooks/${id}/deliveries`)).body).toMatchObject([{ id: delivery.id, status: 'failed', last_error: 'boom', next_attempt_at: null }]);
    const retried = await call('POST', `/api/v1/webhooks/deliveries/${delivery.id}/retry`);
    expect(retried).toMatchObject({ status: 202, body: { id: delivery.id, webhook_id: id, event_type: 'ping', status: 'pending', next_attempt_at: expect.any(String) } });
    // The delivery route is not read as an endpoint's: an id no delivery has is a missing delivery, not a missing webhook.
    expect(await refusal(call('POST', `/api/v1/webhooks/deliveries/${MISSING_ID}/retry`))).toMatchObject({ status: 404, code: 'WEBHOOK.DELIVERY_NOT_FOUND' });
    expect(await refusal(call('GET', '/api/v1/webhooks/deliveries'))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
  });

  it('filters the log by status, newest first, and pages it by cursor in headers', async () => {
    const { id } = await create();
    const sent = [await ping(id), await ping(id)];
    await failDue();
    for (let i = 0; i < 3; i++) sent.push(await ping(id));
    const [a, b, c, d, e] = sent.map((delivery) => delivery.id);
    expect(ids(await call('GET', `/api/v1/webhooks/${id}/deliveries`))).toEqual([e, d, c, b, a]);
    expect(ids(await call('GET', `/api/v1/webhooks/${id}/deliveries?status=failed`))).toEqual([b, a]);
    expect(ids(await call('GET', `/api/v1/webhooks/${id}/deliveries?status=pending`))).toEqual([e, d, c]);
    expect(ids(await call('GET', `/api/v1/webhooks/${id}/deliveries?status=delivered`))).toEqual([]);
    expect(await refusal(call('GET', `/api/v1/webhooks/${id}/deliveries?status=lost`))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });

    const first = await call('GET', `/api/v1/webhooks/${id}/deliveries?status=pending&limit=2`);
    expect(ids(first)).toEqual([e, d]);
    const cursor = first.headers.get('x-next-cursor')!;
    expect(first.headers.get('link')).toBe(`</api/v1/webhooks/${id}/deliveries?status=pending&limit=2&cursor=${cursor}>; rel="next"`);
    const second = await call('GET', `/api/v1/webhooks/${id}/deliveries?status=pending&limit=2&cursor=${cursor}`);
    expect(ids(second)).toEqual([c]);
    expect(second.headers.get('x-next-cursor')).toBeNull();
    // A cursor belongs to one endpoint's log and one filter.
    const other = await create();
    expect(await refusal(call('GET', `/api/v1/webhooks/${other.id}/deliveries?status=pending&limit=2&cursor=${cursor}`))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
    expect(await refusal(call('GET', `/api/v1/webhooks/${id}/deliveries?limit=2&cursor=${cursor}`))).toMatchObject({ status: 422, code: 'VALIDATION.FAILED' });
  });

  it('pages the endpoints by id with a cursor in headers', async () => {
    for (let i = 0; i < 3; i++) await create();
    const all = ids(await call('GET', '/api/v1/webhooks?limit=200'));
    expect(all).toEqual([...all].sort((a, b) => a - b));
    const seen: number[] = [];
    let next: string | null = '/api/v1/webhooks?limit=2';
    while (next) {
      const page: RestAnswer = await call('GET', next);
      seen.push(...ids(page));
      next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(all);
  });

  it('keeps the pending deliveries of an endpoint an admin deactivates, for the worker to fail saying why', async () => {
    const { id } = await create();
    const delivery = await ping(id);
    expect((await call('PATCH', `/api/v1/webhooks/${id}`, { is_active: false })).body).toMatchObject({ is_active: false, disabled_reason: null });
    expect((await call('GET', `/api/v1/webhooks/${id}/deliveries`)).body).toMatchObject([{ id: delivery.id, status: 'pending' }]);
  });

  it('deletes the delivery log with the endpoint', async () => {
    const { id } = await create();
    const kept = await create();
    const [gone, stays] = [await ping(id), await ping(kept.id)];
    expect((await call('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect(await repos().webhookDeliveries.findById(gone.id)).toBeNull();
    expect(await refusal(call('POST', `/api/v1/webhooks/deliveries/${gone.id}/retry`))).toMatchObject({ status: 404, code: 'WEBHOOK.DELIVERY_NOT_FOUND' });
    expect(ids(await call('GET', `/api/v1/webhooks/${kept.id}/deliveries`))).toEqual([stays.id]);
  });
});

describe('webhooks with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true', () => {
  let t: TestApi<ApiServer>;
  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  });
  afterAll(() => t?.close());

  it('accepts a local receiver, yet still refuses other schemes and credentials', async () => {
    const token = await login(t.url, ADMIN.email, ADMIN.password);
    const created = await rest(t.url, 'POST', '/api/v1/webhooks', { token, json: { url: 'http://127.0.0.1:9000/hook', events: ['appointment.created'] } });
    expect(created).toMatchObject({ status: 201, body: { url: 'http://127.0.0.1:9000/hook' } });
    for (const url of ['ftp://x', 'http://user:pw@127.0.0.1/']) {
      expect((await rest(t.url, 'POST', '/api/v1/webhooks', { token, json: { url, events: ['appointment.created'] } })).body).toMatchObject({ code: 'WEBHOOK.URL_NOT_ALLOWED' });
    }
  });
});

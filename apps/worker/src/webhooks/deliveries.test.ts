import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEventType } from '@appointments/domain';
import { Database, parseDatabaseUrl, type WebhookDelivery, type WebhookDeliveryStatus } from '@appointments/db';
import { generateWebhookSecret } from '@appointments/runtime';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '@appointments/testkit/webhooks';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';
import { DEACTIVATED } from './attempt.ts';

const HOUR = 3_600_000;
/**
 * Local receivers, backoff from 1 s, two retries. One POST at a time, so which delivery meets an
 * answer first is the one claimed first.
 */
const WEBHOOKS = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_RETRY_LIMIT: '2', WEBHOOK_CONCURRENCY: '1', WEBHOOK_TIMEOUT_SECONDS: '5' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verify = (secret: string, request: ReceivedWebhook) => new Webhook(secret).verify(request.body, request.headers) as { type: string; data: Record<string, unknown> };

describe.each(['sqlite', 'postgresql'] as Engine[])('webhook deliveries on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let db: Database;
  let receiver: WebhookReceiver;
  let worker: RunningWorker;
  let clientId: number;
  const created: number[] = [];

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
    db = await Database.open(parseDatabaseUrl(sys.api.databaseUrl, sys.dataDir), { migrate: false });
    receiver = await startWebhookReceiver();
    worker = await sys.startWorker(WEBHOOKS);
    clientId = (await db.fork().users.create({ email: 'cleo@example.com', fullName: 'Cleo Client', role: 'client', passwordHash: 'x', timezone: 'UTC' })).id;
  }, 60_000);
  afterAll(async () => {
    await receiver?.close();
    await db?.close();
    await sys?.close();
  });
  beforeEach(() => receiver.answerWith(() => ({ status: 204 })));
  // Each test's endpoints go with it (their deliveries too): none receives another test's events.
  afterEach(async () => {
    for (const id of created.splice(0)) await db.fork().webhooks.delete(id);
  });

  /** An endpoint at `path` on the receiver (or at `host`), with its secret. */
  async function endpoint(path: string, { events = ['appointment.completed'] as WebhookEventType[], host = receiver.url } = {}) {
    const secret = generateWebhookSecret();
    const hook = await db.fork().webhooks.create({ url: `${host}${path}`, events, description: null, secret }, new Date());
    created.push(hook.id);
    return { ...hook, secret };
  }
  const ping = (webhookId: number) => db.fork().webhookDeliveries.ping(webhookId, new Date());
  /** The delivery once `done` holds for it (the receiver sees a POST before the worker records it). */
  async function once(id: number, done: (delivery: WebhookDelivery) => boolean, timeoutMs = 15_000): Promise<WebhookDelivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const delivery = await db.fork().webhookDeliveries.findById(id);
      if (delivery && done(delivery)) return delivery;
      if (Date.now() > deadline) throw new Error(`delivery ${id} is still ${JSON.stringify(delivery)}`);
      await sleep(50);
    }
  }
  const settled = (id: number, status: WebhookDeliveryStatus) => once(id, (d) => d.status === status);

  it('retries an endpoint that fails twice with the same message, signed every time, and reports healthy', async () => {
    const hook = await endpoint('/flaky');
    let calls = 0;
    receiver.answerWith(() => (++calls <= 2 ? { status: 500, body: 'down for maintenance' } : { status: 200 }));
    const delivery = await ping(hook.id);
    const requests = await receiver.waitFor('/flaky', 3);
    expect(await settled(delivery.id, 'delivered')).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${delivery.eventId}`]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const request of requests) expect(verify(hook.secret, request)).toEqual({ type: 'ping', timestamp: expect.any(String), data: { webhook_id: hook.id } });
    // Backoff from 1 s, doubling: each retry waits at least its delay after the answer before it.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(2_000);
    expect(receiver.to('/flaky')).toHaveLength(3);
    const health = await fetch(worker.healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', webhooks_age_ms: expect.any(Number) });
  });

  it('signs with both secrets while a rotation overlaps, then with the new one alone', async () => {
    const hook = await endpoint('/rotated');
    const next = generateWebhookSecret();
    await db.fork().webhooks.rotateSecret(hook.id, next, new Date(Date.now() + HOUR), new Date());
    await ping(hook.id);
    const [during] = await receiver.waitFor('/rotated', 1);
    expect(during!.headers['webhook-signature']!.split(' ')).toEqual([expect.stringMatching(/^v1,/), expect.stringMatching(/^v1,/)]);
    for (const secret of [hook.secret, next]) expect(verify(secret, during!)).toMatchObject({ type: 'ping' });
    expect(() => verify(generateWebhookSecret(), during!)).toThrow('No matching signature found');

    // Rotated again with no overlap: the previous secret signs no more.
    const last = generateWebhookSecret();
    await db.fork().webhooks.rotateSecret(hook.id, last, new Date(), new Date());
    await ping(hook.id);
    const after = (await receiver.waitFor('/rotated', 2))[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verify(last, after)).toMatchObject({ type: 'ping' });
    expect(() => verify(next, after)).toThrow('No matching signature found');
  });

  it('deactivates an endpoint that answers 410, fails what waited for it and posts it nothing more', async () => {
    const hook = await endpoint('/gone');
    receiver.answerWith(() => ({ status: 410, body: 'no such hook' }));
    const [first, ...waiting] = [await ping(hook.id), await ping(hook.id), await ping(hook.id)];
    expect(await settled(first!.id, 'failed')).toMatchObject({ attempts: 1, lastStatusCode: 410, lastError: 'no such hook' });
    const deactivated = await db.fork().webhooks.findById(hook.id);
    expect(deactivated).toMatchObject({ isActive: false, disabledReason: expect.stringContaining('410 Gone') });
    for (const delivery of waiting) expect(await settled(delivery.id, 'failed')).toMatchObject({ attempts: 0, lastError: deactivated!.disabledReason });
    // A delivery claimed for a deactivated endpoint fails unposted.
    const later = await ping(hook.id);
    expect(await settled(later.id, 'failed')).toMatchObject({ attempts: 1, lastStatusCode: null, lastError: DEACTIVATED });
    expect(receiver.to('/gone')).toHaveLength(1);
  });

  it('fails a delivery once its retries are spent; retried by hand it goes again as the same message', async () => {
    const hook = await endpoint('/exhausted');
    receiver.answerWith(() => ({ status: 503, body: 'x'.repeat(5_000) }));
    const delivery = await ping(hook.id);
    // WEBHOOK_RETRY_LIMIT=2: the first attempt and two retries; the error keeps the answer's first 1 KB.
    expect(await settled(delivery.id, 'failed')).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: 'x'.repeat(1024), nextAttemptAt: null });
    expect(receiver.to('/exhausted')).toHaveLength(3);

    receiver.answerWith(() => ({ status: 202 }));
    expect(await db.fork().webhookDeliveries.retry(delivery.id, new Date())).toBe(true);
    const requests = await receiver.waitFor('/exhausted', 4);
    expect(await settled(delivery.id, 'delivered')).toMatchObject({ attempts: 4, lastStatusCode: 202 });
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${delivery.eventId}`]));
    expect(verify(hook.secret, requests[3]!)).toMatchObject({ type: 'ping' });
  });

  it('fans a client block out to the endpoints subscribed to it and delivers it', async () => {
    const hook = await endpoint('/clients', { events: ['client.blocked'] });
    await endpoint('/unsubscribed', { events: ['client.unblocked'] });
    await db.fork().userEvents.append({ userId: clientId, actorId: null, actorApiKeyId: null, at: new Date(), action: 'blocked', reason: 'Reached 3 no-shows' });
    const [request] = await receiver.waitFor('/clients', 1);
    const body = verify(hook.secret, request!);
    expect(body).toMatchObject({ type: 'client.blocked', data: { id: clientId, full_name: 'Cleo Client', is_blocked: true } });
    expect(body.data).not.toHaveProperty('password_hash');
    const [delivery] = (await db.fork().webhookDeliveries.list({ webhookId: hook.id, limit: 10 })).items;
    expect(await settled(delivery!.id, 'delivered')).toMatchObject({ eventType: 'client.blocked', attempts: 1 });
    expect(receiver.to('/unsubscribed')).toEqual([]);
  });

  it('on stop, lets a POST in flight finish and records it', async () => {
    const hook = await endpoint('/slow');
    receiver.answerWith(() => sleep(500).then(() => ({ status: 200 })));
    const delivery = await ping(hook.id);
    await receiver.waitFor('/slow', 1);
    await worker.stop();
    expect(await db.fork().webhookDeliveries.findById(delivery.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('refuses private addresses at send time unless allowed, recording why, to be retried', async () => {
    await worker.stop();
    worker = await sys.startWorker({ ...WEBHOOKS, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
    const port = new URL(receiver.url).port;
    // By name, refused when the connection looks it up; by address, before connecting.
    const byName = await endpoint('/by-name', { host: `http://localhost:${port}` });
    const byAddress = await endpoint('/by-address');
    const [named, literal] = [await ping(byName.id), await ping(byAddress.id)];
    const tried = (d: WebhookDelivery) => d.attempts === 1 && d.lastError !== null;
    expect(await once(named.id, tried)).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'refused: localhost resolves to a private, local or reserved address' });
    const refused = await once(literal.id, tried);
    expect(refused).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'refused: 127.0.0.1 is a private, local or reserved address' });
    expect(refused.nextAttemptAt).toBeGreaterThan(Date.now() - 1_000);
    expect(receiver.requests.filter((r) => r.path.startsWith('/by-'))).toEqual([]);
    // A worker restarts here: its embedded queue alone takes seconds on a busy machine.
  }, 30_000);
});

import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '@appointments/domain';
import { Database, parseDatabaseUrl } from '@appointments/db';
import { login, setUpAllDayStaff } from '@appointments/testkit/api';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '@appointments/testkit/webhooks';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';

const HOUR = 3_600_000;
const PASSWORD = 'correct-horse-1';
const LOCAL = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };

interface Message {
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/**
 * The whole path as an integrator meets it: endpoints and an API key made over REST, changes made
 * over REST (by the key, the client, an admin), the worker posting what each change left, signed.
 */
describe.each(['sqlite', 'postgresql'] as Engine[])('webhooks end to end on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let receiver: WebhookReceiver;
  let admin: string;
  let staffId: number;
  let client: string;
  let clientId: number;
  let next: number;
  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine, { ...LOCAL, NO_SHOW_BLOCK_THRESHOLD: '1' });
    receiver = await startWebhookReceiver();
    await sys.startWorker({ ...LOCAL, WEBHOOK_RETRY_DELAY_SECONDS: '1' });
    ({ admin, staffId, client, next } = await setUpAllDayStaff(sys.api, PASSWORD));
    clientId = (await sys.call<{ id: number }>(client, 'GET', '/api/v1/auth/me')).id;
  }, 60_000);
  afterAll(async () => {
    await receiver?.close();
    await sys?.close();
  });

  async function subscribe(path: string, events: readonly string[] = WEBHOOK_EVENT_TYPES) {
    return sys.call<{ id: number; secret: string }>(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.url}${path}`, events, description: `End to end ${path}` });
  }
  const keyWith = async (scopes: string[]) => (await sys.call<{ key: string }>(admin, 'POST', '/api/v1/api-keys', { name: 'Clinic CRM', scopes })).key;
  const opened = (secret: string, requests: readonly ReceivedWebhook[]) => requests.map((request) => new Webhook(secret).verify(request.body, request.headers) as Message);

  it('tells an endpoint of every change, each as the API answered it then, in order of sequence', async () => {
    const hook = await subscribe('/appointments', ['appointment.created', 'appointment.rescheduled', 'appointment.cancelled']);
    const key = await keyWith(['appointments:write', 'appointments:read']);
    const start = next + 5 * HOUR;
    const booked = await sys.call<{ id: number }>(key, 'POST', '/api/v1/appointments', {
      client_id: clientId,
      staff_id: staffId,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + HOUR).toISOString(),
      notes: 'Booked by the CRM',
    });
    const moved = await sys.call(client, 'POST', `/api/v1/appointments/${booked.id}/reschedule`, {
      new_start_time: new Date(start + 2 * HOUR).toISOString(),
      new_end_time: new Date(start + 3 * HOUR).toISOString(),
    });
    const cancelled = await sys.call(key, 'POST', `/api/v1/appointments/${booked.id}/cancel`, { reason: 'Clinic closed' });

    const messages = opened(hook.secret, await receiver.waitFor('/appointments', 3, 20_000)).sort((a, b) => Number(a.data.sequence) - Number(b.data.sequence));
    expect(messages.map((m) => m.type)).toEqual(['appointment.created', 'appointment.rescheduled', 'appointment.cancelled']);
    expect(messages.map((m) => m.data)).toEqual([booked, moved, cancelled]);
    // What the key did is the key's in the history: no user acted. Each message's timestamp is its change's.
    const history = await sys.call<{ action: string; at: string; actor_id: number | null; actor_api_key_id: number | null }[]>(admin, 'GET', `/api/v1/appointments/${booked.id}/history`);
    expect(messages.map((m) => m.timestamp)).toEqual(history.map((h) => h.at));
    expect(history.map((h) => [h.action, h.actor_id === null, h.actor_api_key_id === null])).toEqual([
      ['booked', true, false],
      ['rescheduled', false, true],
      ['cancelled', true, false],
    ]);
    // Each delivery is in the endpoint's log, delivered at the first attempt.
    const log = await sys.call<{ status: string; attempts: number }[]>(admin, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('tells of a no-show, the block it caused and its lifting; and sends a test message on request', async () => {
    const hook = await subscribe('/clients', ['appointment.no_show', 'client.blocked', 'client.unblocked']);
    // Started an hour ago: only the database makes one in the past.
    const db = await Database.open(parseDatabaseUrl(sys.api.databaseUrl, sys.dataDir), { migrate: false });
    const start = Date.now() - HOUR;
    const past = await db.fork().appointments.create({ clientId, staffId, start, end: start + 30 * 60_000, bufferedStart: start, bufferedEnd: start + 30 * 60_000, notes: null });
    await db.close();
    const staff = await login(sys.api.url, 'staff@example.com', PASSWORD);
    await sys.call(staff, 'POST', `/api/v1/appointments/${past.id}/mark-no-show`);
    await sys.call(await keyWith(['users:write']), 'POST', `/api/v1/users/${clientId}/unblock`);

    const messages = opened(hook.secret, await receiver.waitFor('/clients', 3, 20_000));
    expect(messages.map((m) => m.type).sort()).toEqual(['appointment.no_show', 'client.blocked', 'client.unblocked']);
    const about = (type: string) => messages.find((m) => m.type === type)!.data;
    expect(about('appointment.no_show')).toMatchObject({ id: past.id, status: 'no_show', sequence: 1 });
    expect(about('client.blocked')).toMatchObject({ id: clientId, is_blocked: true, no_show_count: 1 });
    expect(about('client.unblocked')).toMatchObject({ id: clientId, is_blocked: false });
    expect(about('client.blocked')).not.toHaveProperty('password_hash');

    const ping = await sys.call<{ id: number; event_type: string }>(admin, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    expect(ping.event_type).toBe('ping');
    const [message] = opened(hook.secret, (await receiver.waitFor('/clients', 4, 20_000)).slice(3));
    expect(message).toMatchObject({ type: 'ping', data: { webhook_id: hook.id } });
  });
});

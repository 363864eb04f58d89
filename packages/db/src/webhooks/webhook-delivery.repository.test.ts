import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEventType } from '@appointments/domain';
import { testTargets } from '@appointments/testkit/db';
import { OutboxFixture } from '../appointments/outbox.fixture.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
const LEAD = { reminderLeadMinutes: [24 * 60] };

describe.each(Object.entries(testTargets))('webhook fan-out and deliveries on %s', (_engine, makeTarget) => {
  const f = new OutboxFixture(makeTarget, NOW);
  let otherStaffId: number;
  beforeAll(async () => {
    otherStaffId = (await f.db.fork().users.create({ email: 't@example.com', fullName: 'Tia Staff', role: 'staff', passwordHash: 'x', timezone: 'UTC' })).id;
  });
  beforeEach(async () => {
    await f.db.fork().appointmentChanges.processPending(LEAD, 10_000);
    await f.raw.em.getConnection().execute('delete from webhooks');
    await f.raw.em.getConnection().execute('delete from webhook_events');
  });

  const subscribe = (events: WebhookEventType[], createdAt = new Date(NOW - HOUR)) =>
    f.db.fork().webhooks.create({ url: 'https://example.com/hook', events, description: null, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, createdAt);
  const bodies = async (webhookId: number) => {
    const { items } = await f.db.fork().webhookDeliveries.list({ webhookId, limit: 100 });
    const rows = (await f.raw.em.getConnection().execute('select id, body from webhook_events order by id')) as { id: number; body: string }[];
    const byId = new Map(rows.map((row) => [row.id, JSON.parse(row.body) as { type: string; timestamp: string; data: Record<string, unknown> }]));
    return items.map((delivery) => byId.get(delivery.eventId)!).reverse();
  };

  it('records no event when nobody is subscribed', async () => {
    await f.book();
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);
    const [row] = (await f.raw.em.getConnection().execute('select count(*) as total from webhook_events')) as { total: number | string }[];
    expect(Number(row!.total)).toBe(0);
  });

  it('sends each change as that change left the appointment, however late it is fanned out', async () => {
    const all = await subscribe(['appointment.created', 'appointment.rescheduled', 'appointment.cancelled']);
    const cancelsOnly = await subscribe(['appointment.cancelled']);
    const booked = await f.book();
    const moved = await f.change(booked, { start: booked.start + HOUR, end: booked.end + HOUR, bufferedStart: booked.start + HOUR, bufferedEnd: booked.end + HOUR, staffId: otherStaffId }, {
      kind: 'rescheduled',
      previousStart: booked.start,
      previousEnd: booked.end,
      reason: null,
    });
    await f.change(moved, { status: 'cancelled' }, { kind: 'cancelled', by: { id: f.clientId, name: 'Cleo Client', role: 'client' }, reason: 'ill' }, NOW + 1000);
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);

    const sent = await bodies(all.id);
    expect(sent.map((body) => [body.type, body.data.sequence, body.data.status, body.data.staff_name])).toEqual([
      ['appointment.created', 0, 'scheduled', 'Sam Staff'],
      ['appointment.rescheduled', 1, 'scheduled', 'Tia Staff'],
      ['appointment.cancelled', 2, 'cancelled', 'Tia Staff'],
    ]);
    expect(sent[0]!.data.start_time).toBe(new Date(booked.start).toISOString());
    expect(sent[1]!.data.start_time).toBe(new Date(booked.start + HOUR).toISOString());
    expect(sent[2]!.timestamp).toBe(new Date(NOW + 1000).toISOString());
    expect(Object.keys(sent[0]!.data).sort()).toEqual(
      ['client_id', 'client_name', 'created_at', 'end_time', 'id', 'notes', 'sequence', 'service_id', 'staff_id', 'staff_name', 'start_time', 'status', 'updated_at'].sort(),
    );
    // The same event reaches every endpoint subscribed to it with the same body.
    expect((await bodies(cancelsOnly.id)).map((body) => body.type)).toEqual(['appointment.cancelled']);
  });

  it('does not send an endpoint what happened before it existed', async () => {
    await f.book();
    const later = await subscribe(['appointment.created'], new Date(NOW + HOUR));
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);
    expect(await bodies(later.id)).toEqual([]);
  });

  it('claims a delivery once, retries it, takes over an abandoned claim and ignores the late outcome', async () => {
    const hook = await subscribe(['appointment.created']);
    await f.book();
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);
    const repo = f.db.fork().webhookDeliveries;
    const at = new Date(NOW + 2 * HOUR);
    const [claim, ...others] = await repo.claimDue(at, new Date(at.getTime() + 30_000), 10);
    expect(others).toEqual([]);
    expect(claim).toMatchObject({ attempt: 1, retried: 0, messageId: expect.stringMatching(/^msg_\d+$/), webhook: { id: hook.id, isActive: true, secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] } });
    expect(await repo.claimDue(at, new Date(at.getTime() + 30_000), 10)).toEqual([]);
    // Its worker dies; once the claim has run out another takes it, and the first one's late outcome is not recorded.
    const [again] = await repo.claimDue(new Date(at.getTime() + 31_000), new Date(at.getTime() + 61_000), 10);
    expect(again).toMatchObject({ id: claim!.id, attempt: 2, retried: 1, messageId: claim!.messageId, body: claim!.body });
    expect(await repo.recordAttempt(claim!, { kind: 'delivered', statusCode: 200 }, at)).toBe(false);
    expect(await repo.recordAttempt(again!, { kind: 'retry', at: at.getTime() + 60_000, statusCode: 500, error: 'boom' }, at)).toBe(true);
    expect(await repo.findById(claim!.id)).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500, lastError: 'boom', nextAttemptAt: at.getTime() + 60_000 });
    expect(await repo.claimDue(new Date(at.getTime() + 59_000), new Date(at.getTime() + 90_000), 10)).toEqual([]);
    const [third] = await repo.claimDue(new Date(at.getTime() + 60_000), new Date(at.getTime() + 90_000), 10);
    await repo.recordAttempt(third!, { kind: 'failed', statusCode: 500, error: 'still boom' }, at);
    expect(await repo.findById(claim!.id)).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    // Retried by hand: pending again, due now, with a fresh budget and the same message id.
    expect(await repo.retry(claim!.id, at)).toBe(true);
    expect(await repo.retry(claim!.id, at)).toBe(false);
    const [fourth] = await repo.claimDue(at, new Date(at.getTime() + 30_000), 10);
    expect(fourth).toMatchObject({ attempt: 4, retried: 0, messageId: claim!.messageId });
    await repo.recordAttempt(fourth!, { kind: 'delivered', statusCode: 204 }, at);
    expect(await repo.findById(claim!.id)).toMatchObject({ status: 'delivered', deliveredAt: at.getTime(), lastError: null });
  });

  it('deactivates an endpoint that answers 410 and fails what waited for it, saying why', async () => {
    const hook = await subscribe(['appointment.created']);
    await f.book();
    await f.book();
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);
    const repo = f.db.fork().webhookDeliveries;
    const at = new Date(NOW + 2 * HOUR);
    const [first] = await repo.claimDue(at, new Date(at.getTime() + 30_000), 1);
    await repo.recordAttempt(first!, { kind: 'gone', error: 'Gone' }, at);
    expect(await f.db.fork().webhooks.findById(hook.id)).toMatchObject({ isActive: false, disabledReason: expect.stringContaining('410 Gone') });
    const { items } = await repo.list({ webhookId: hook.id, limit: 10 });
    expect(items.map((d) => [d.status, d.lastError])).toEqual([
      ['failed', expect.stringContaining('410 Gone')],
      ['failed', 'Gone'],
    ]);
    expect((await repo.list({ webhookId: hook.id, status: 'pending', limit: 10 })).items).toEqual([]);
    // Reactivated: the reason goes.
    expect(await f.db.fork().webhooks.update(hook.id, { isActive: true }, at)).toMatchObject({ isActive: true, disabledReason: null });
  });

  it('fans out blocks and unblocks with the standing they gave the client', async () => {
    const hook = await subscribe(['client.blocked', 'client.unblocked']);
    const events = f.db.fork().userEvents;
    await events.append({ userId: f.clientId, actorId: null, actorApiKeyId: null, at: new Date(NOW), action: 'blocked', reason: 'Reached 3 no-shows' });
    await events.append({ userId: f.clientId, actorId: f.staffId, actorApiKeyId: null, at: new Date(NOW + 1000), action: 'unblocked', reason: null });
    expect(await f.db.fork().webhookDeliveries.fanOutUserEvents(100, new Date(NOW))).toBe(2);
    expect(await f.db.fork().webhookDeliveries.fanOutUserEvents(100, new Date(NOW))).toBe(0);
    const sent = await bodies(hook.id);
    expect(sent.map((body) => [body.type, body.data.id, body.data.is_blocked])).toEqual([
      ['client.blocked', f.clientId, true],
      ['client.unblocked', f.clientId, false],
    ]);
    expect(sent[0]!.data).not.toHaveProperty('password_hash');
  });

  it('sends a test message to one endpoint', async () => {
    const hook = await subscribe(['appointment.created']);
    const delivery = await f.db.fork().webhookDeliveries.ping(hook.id, new Date(NOW));
    expect(delivery).toMatchObject({ webhookId: hook.id, eventType: 'ping', status: 'pending', attempts: 0 });
    expect(await bodies(hook.id)).toEqual([{ type: 'ping', timestamp: new Date(NOW).toISOString(), data: { webhook_id: hook.id } }]);
  });

  it('prunes old events every endpoint received, and keeps those with a delivery failed or pending', async () => {
    const hook = await subscribe(['appointment.created']);
    await f.book();
    await f.book();
    await f.book();
    await f.db.fork().appointmentChanges.processPending(LEAD, 100);
    const repo = f.db.fork().webhookDeliveries;
    const at = new Date(NOW + HOUR);
    const [delivered, failed] = await repo.claimDue(at, new Date(at.getTime() + 30_000), 2);
    await repo.recordAttempt(delivered!, { kind: 'delivered', statusCode: 200 }, at);
    await repo.recordAttempt(failed!, { kind: 'failed', statusCode: 500, error: 'down' }, at);
    // The fan-out dated them by the worker's clock: a cut-off far ahead finds all three old.
    expect(await repo.pruneDelivered(new Date(Date.now() + 86_400_000))).toBe(1);
    const left = (await repo.list({ webhookId: hook.id, limit: 10 })).items;
    expect(left.map((d) => d.status).sort()).toEqual(['failed', 'pending']);
    expect(await repo.findById(delivered!.id)).toBeNull();
  });
});

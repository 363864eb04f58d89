import { describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { ACCOUNT_TOKEN_GRACE_MS, IDEMPOTENCY_KEY_LIFETIME_MS, NOTIFICATION_RETENTION_MS, sweepExpired } from './sweep-expired.ts';

describe.each(Object.entries(testTargets))('sweepExpired on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);

  it('removes expired sessions and old Idempotency-Key answers, and keeps live ones', async () => {
    const repos = database.db.fork();
    const user = await repos.users.create({ email: 'w@example.com', fullName: 'W', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    const now = new Date();
    await repos.sessions.create({ id: 'e'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() - 1) });
    await repos.sessions.create({ id: 'l'.repeat(64), userId: user.id, expiresAt: new Date(now.getTime() + 60_000) });
    const answer = { requestHash: 'h'.repeat(64), statusCode: 201, response: { id: 1 } };
    expect(await repos.idempotency.save({ userId: user.id }, 'fresh', answer)).toBe(true);

    // Stored now: nothing to prune yet. A day later, it is.
    expect(await sweepExpired(database.db, now)).toEqual({ sessions: 1, idempotencyKeys: 0, notifications: 0, changes: 0, webhookEvents: 0, attemptWindows: 0, accountTokens: 0, accountMessages: 0 });
    expect(await database.db.fork().idempotency.find({ userId: user.id }, 'fresh')).toEqual(answer);
    expect(await database.db.fork().sessions.findWithUser('l'.repeat(64))).not.toBeNull();
    expect(await sweepExpired(database.db, new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS + 60_000))).toEqual({ sessions: 1, idempotencyKeys: 1, notifications: 0, changes: 0, webhookEvents: 0, attemptWindows: 0, accountTokens: 0, accountMessages: 0 });
    expect(await database.db.fork().idempotency.find({ userId: user.id }, 'fresh')).toBeNull();
    expect(await database.db.fork().sessions.findWithUser('e'.repeat(64))).toBeNull();
  });

  it('removes account links a day past their expiry, and account emails once finished longer ago than the retention', async () => {
    const repos = database.db.fork();
    await repos.users.create({ email: 'links@example.com', fullName: 'L', role: 'client', passwordHash: null, timezone: 'UTC' });
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 60_000);
    await repos.accountTokens.issue('links@example.com', { id: 'k'.repeat(64), purpose: 'password_reset', expiresAt, link: 'https://x/k' }, now);
    const [claim] = await repos.accountMessages.claimDue(now, new Date(now.getTime() + 60_000), 10);
    await repos.accountMessages.recordAttempt(claim!, { kind: 'sent' }, now);
    const at = (ms: number) => sweepExpired(database.db, new Date(now.getTime() + ms));
    expect(await at(60_000 + ACCOUNT_TOKEN_GRACE_MS)).toMatchObject({ accountTokens: 0, accountMessages: 0 });
    expect(await database.db.fork().accountTokens.find('k'.repeat(64))).not.toBeNull();
    expect(await at(60_001 + ACCOUNT_TOKEN_GRACE_MS)).toMatchObject({ accountTokens: 1, accountMessages: 0 });
    expect(await at(NOTIFICATION_RETENTION_MS + 1)).toMatchObject({ accountMessages: 1 });
  });

  it('removes sent and dropped notifications once due longer ago than the retention, and keeps failed and open ones', async () => {
    const repos = database.db.fork();
    const person = (email: string, role: 'client' | 'staff') => repos.users.create({ email, fullName: email, role, passwordHash: 'x', timezone: 'UTC' });
    const client = await person('c@example.com', 'client');
    const staff = await person('s@example.com', 'staff');
    const now = Date.now();
    const start = now + 86_400_000;
    const kinds = ['confirmation', 'reminder'] as const;
    const appointment = await repos.appointments.create({
      clientId: client.id,
      staffId: staff.id,
      start,
      end: start + 1_800_000,
      bufferedStart: start,
      bufferedEnd: start + 1_800_000,
      notes: null,
    });
    await repos.notifications.record(
      appointment.id,
      [client.id, staff.id].flatMap((recipientId) => kinds.map((kind) => ({ recipientId, kind, sequence: 0, dueAt: now, leadMinutes: kind === 'reminder' ? 60 : null, details: {} }))),
    );
    const rows = (await repos.notifications.list({ appointmentId: appointment.id, offset: 0, limit: 10 })).items;
    const [sent, dropped, failed, open] = rows.map((n) => n.id) as [number, number, number, number];
    await repos.notifications.markSent(sent, new Date(now), 'm@example.com');
    await repos.notifications.markDropped(dropped, 'superseded');
    await repos.notifications.markFailed(failed, 'SMTP refused');
    const left = async () => (await database.db.fork().notifications.list({ appointmentId: appointment.id, offset: 0, limit: 10 })).items.map((n) => n.id).sort((a, b) => a - b);

    // Due just within the retention: kept. Past it: the finished ones go; the dead letter and the open row stay.
    expect((await sweepExpired(database.db, new Date(now + NOTIFICATION_RETENTION_MS))).notifications).toBe(0);
    expect(await left()).toEqual([sent, dropped, failed, open].sort((a, b) => a - b));
    expect((await sweepExpired(database.db, new Date(now + NOTIFICATION_RETENTION_MS + 1))).notifications).toBe(2);
    expect(await left()).toEqual([failed, open].sort((a, b) => a - b));
  });

  it('removes changes processed longer ago than the retention, and never an unprocessed one', async () => {
    const repos = database.db.fork();
    const person = (email: string, role: 'client' | 'staff') => repos.users.create({ email, fullName: email, role, passwordHash: 'x', timezone: 'UTC' });
    const client = await person('cc@example.com', 'client');
    const staff = await person('cs@example.com', 'staff');
    const tomorrow = Date.now() + 86_400_000;
    const book = async (start: number) => {
      const appointment = await repos.appointments.create({ clientId: client.id, staffId: staff.id, start, end: start + 1_800_000, bufferedStart: start, bufferedEnd: start + 1_800_000, notes: null });
      await repos.appointmentChanges.record({ appointmentId: appointment.id, sequence: 0, start, state: appointment, change: { kind: 'booked' }, at: Date.now() });
      return appointment.id;
    };
    const processed = await book(tomorrow);
    expect(await repos.appointmentChanges.processPending({ reminderLeadMinutes: [60] }, 10)).toBe(1);
    const pending = await book(tomorrow + 3_600_000);
    const left = async () => (await database.db.fork().appointmentChanges.list({ offset: 0, limit: 10 })).items.map((c) => c.appointmentId);

    const processedAt = Date.now();
    expect((await sweepExpired(database.db, new Date(processedAt - 60_000 + NOTIFICATION_RETENTION_MS))).changes).toBe(0);
    expect(await left()).toEqual([processed, pending]);
    expect((await sweepExpired(database.db, new Date(processedAt + 60_000 + NOTIFICATION_RETENTION_MS))).changes).toBe(1);
    expect(await left()).toEqual([pending]);
  });
});

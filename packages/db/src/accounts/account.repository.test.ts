import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

const NOW = new Date('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(Object.entries(testTargets))('account links and their emails on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);
  const repos = () => database.db.fork();
  const user = (email: string) => repos().users.create({ email, fullName: 'Jane', role: 'client', passwordHash: null, timezone: 'UTC' });
  const token = (id: string) => ({ id, purpose: 'password_reset' as const, expiresAt: later(HOUR), link: `https://x/${id}` });

  it('issues a token and its email for a known active address only, and the email carries the link', async () => {
    const jane = await user('jane@example.com');
    expect(await repos().accountTokens.issue('jane@example.com', token('a'.repeat(64)), NOW)).toBe(true);
    expect(await repos().accountTokens.issue('ghost@example.com', token('b'.repeat(64)), NOW)).toBe(false);
    await repos().users.update(jane.id, { isActive: false });
    expect(await repos().accountTokens.issue('jane@example.com', token('c'.repeat(64)), NOW)).toBe(false);
    expect(await repos().accountTokens.find('b'.repeat(64))).toBeNull();
    expect(await repos().accountTokens.find('a'.repeat(64))).toEqual({ purpose: 'password_reset', userId: jane.id, expiresAt: later(HOUR).getTime(), usedAt: null });

    const [claimed, ...more] = await repos().accountMessages.claimDue(NOW, later(60_000), 10);
    expect(more).toEqual([]);
    expect(claimed).toMatchObject({ attempt: 1, kind: 'password_reset', link: `https://x/${'a'.repeat(64)}`, recipient: { id: jane.id, email: 'jane@example.com' } });
    // Claimed: no other worker gets it until the claim runs out.
    expect(await repos().accountMessages.claimDue(NOW, later(60_000), 10)).toEqual([]);
  });

  it("spends a token once, before it expires, and a new password spends the user's other links", async () => {
    const bob = await user('bob@example.com');
    for (const id of ['1', '2', '3']) await repos().accountTokens.issue('bob@example.com', token(id.repeat(64)), NOW);
    expect(await repos().accountTokens.spend('1'.repeat(64), 'verify_email', NOW)).toBeNull();
    expect(await repos().accountTokens.spend('1'.repeat(64), 'password_reset', later(HOUR))).toBeNull();
    expect(await repos().accountTokens.spend('1'.repeat(64), 'password_reset', NOW)).toBe(bob.id);
    expect(await repos().accountTokens.spend('1'.repeat(64), 'password_reset', NOW)).toBeNull();
    await repos().accountTokens.spendAll(bob.id, 'password_reset', later(1));
    expect(await repos().accountTokens.spend('2'.repeat(64), 'password_reset', NOW)).toBeNull();
    expect((await repos().accountTokens.find('3'.repeat(64)))?.usedAt).toBe(later(1).getTime());
    expect(await repos().accountTokens.pruneExpired(later(HOUR))).toBe(0);
    expect(await repos().accountTokens.pruneExpired(later(HOUR + 1))).toBeGreaterThanOrEqual(3);
  });

  it('records outcomes of the latest claim only, retries when told, and never hands out a sent one again', async () => {
    await user('carol@example.com');
    await repos().accountTokens.issue('carol@example.com', token('d'.repeat(64)), NOW);
    // Earlier tests' messages are due too: this one is Carol's.
    const carol = async (at: Date, until: Date) => (await repos().accountMessages.claimDue(at, until, 100)).find((m) => m.recipient.email === 'carol@example.com');
    const first = (await carol(NOW, later(1_000)))!;
    expect(await repos().accountMessages.recordAttempt(first, { kind: 'retry', at: later(5_000), error: '451 Try again later' }, NOW)).toBe(true);
    expect(await carol(later(4_999), later(10_000))).toBeUndefined();
    const second = (await carol(later(5_000), later(10_000)))!;
    expect(second).toMatchObject({ id: first.id, attempt: 2, link: `https://x/${'d'.repeat(64)}` });
    // The first claim was overtaken: its late outcome is not recorded.
    expect(await repos().accountMessages.recordAttempt(first, { kind: 'sent' }, NOW)).toBe(false);
    expect(await repos().accountMessages.recordAttempt(second, { kind: 'sent' }, later(6_000))).toBe(true);
    // Sent: never claimed again, even once its claim would have run out.
    expect(await carol(later(HOUR), later(2 * HOUR))).toBeUndefined();
    expect(await repos().accountMessages.pruneFinished(NOW)).toBe(0);
    expect(await repos().accountMessages.pruneFinished(later(HOUR))).toBe(1);
  });
});

import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, parseDatabaseUrl } from '@appointments/db';
import { ADMIN, login, setUpAllDayStaff } from '@appointments/testkit/api';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';

const PASSWORD = 'correct-horse-1';
const HOUR = 3_600_000;

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

/**
 * Account emails as people meet them: a real API process, a real worker and a real SMTP server;
 * tokens only ever come from the emails' links. Clients must verify their address to book here.
 */
describe.each(['sqlite', 'postgresql'] as Engine[])('account emails end to end on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let db: Database;
  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine, {
      REQUIRE_VERIFIED_EMAIL: 'true',
      ACCOUNT_EMAILS_MAX_PER_HOUR: '3',
      PUBLIC_URL: 'https://api.clinic.example',
    });
    await sys.startWorker();
    db = await Database.open(parseDatabaseUrl(sys.api.databaseUrl, sys.dataDir), { migrate: false });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await sys?.close();
  });

  /** Status and JSON body of a request (undefined body when there is none). */
  async function send(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> | undefined; headers: Headers }> {
    const res = await fetch(`${sys.api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: res.headers };
  }

  /** The `n`th email with this subject to `address` (1: the first), once the worker has sent it. */
  async function mailTo(address: string, subject: string, n = 1): Promise<ParsedMail> {
    return (await sys.sink.waitFor(n, 15_000, (m) => to(m) === address && m.subject === subject)).at(-1)!;
  }

  /** The token of the link in an email, checked to lead where it should. */
  function tokenOf(mail: ParsedMail, path: string): string {
    const match = new RegExp(`https://api\\.clinic\\.example${path}/([a-z2-7]{32})`).exec(mail.text ?? '');
    expect(match, mail.text).not.toBeNull();
    expect(mail.html).toContain(`href="${match![0]}"`);
    return match![1]!;
  }

  const register = (email: string) => sys.call<{ id: number }>(null, 'POST', '/api/v1/auth/register', { email, full_name: 'Rita Reset', password: PASSWORD });

  it('resets a password through the emailed link: single use, every session ended, the address verified', async () => {
    await register('rita@example.com');
    const [first, second] = [await login(sys.api.url, 'rita@example.com', PASSWORD), await login(sys.api.url, 'rita@example.com', PASSWORD)];
    expect(await send('POST', '/api/v1/auth/password-reset', { email: ' Rita@Example.com ' })).toMatchObject({ status: 202, body: undefined });

    const mail = await mailTo('rita@example.com', 'Reset your password');
    expect(mail.from?.value[0]?.address).toBe('bookings@example.com');
    expect(mail.attachments).toEqual([]); // no calendar file: it is not about an appointment
    expect(mail.text).toContain('The link works once, for 1 hour.');
    const token = tokenOf(mail, '/api/v1/auth/password-reset');

    const status = await send('GET', `/api/v1/auth/password-reset/${token}`);
    expect(status.status).toBe(200);
    expect(Math.abs(Date.parse(String(status.body!.expires_at)) - Date.now() - HOUR)).toBeLessThan(60_000);

    expect((await send('POST', '/api/v1/auth/password-reset/confirm', { token, new_password: 'a-brand-new-one' })).status).toBe(204);
    for (const session of [first, second]) expect((await send('GET', '/api/v1/auth/me', undefined, session)).status).toBe(401);
    expect((await send('POST', '/api/v1/auth/login', { username: 'rita@example.com', password: PASSWORD })).status).toBe(401);
    const fresh = await login(sys.api.url, 'rita@example.com', 'a-brand-new-one');
    expect((await send('GET', '/api/v1/auth/me', undefined, fresh)).body).toMatchObject({ email: 'rita@example.com', email_verified: true });

    // Used: gone, whichever way it is followed.
    expect(await send('POST', '/api/v1/auth/password-reset/confirm', { token, new_password: 'yet-another-one' })).toMatchObject({
      status: 410,
      body: { code: 'AUTH.RESET_TOKEN_USED_OR_EXPIRED' },
    });
    expect(await send('GET', `/api/v1/auth/password-reset/${token}`)).toMatchObject({ status: 410, body: { code: 'AUTH.RESET_TOKEN_USED_OR_EXPIRED' } });
    expect(await send('GET', '/api/v1/auth/password-reset/abcdefghijklmnopqrstuvwxyz234567')).toMatchObject({ status: 404, body: { code: 'AUTH.RESET_TOKEN_NOT_FOUND' } });
  });

  it('answers an unknown address as a known one and emails nobody', async () => {
    expect(await send('POST', '/api/v1/auth/password-reset', { email: 'ghost@example.com' })).toMatchObject({ status: 202, body: undefined });
    await register('known@example.com');
    expect((await send('POST', '/api/v1/auth/password-reset', { email: 'known@example.com' })).status).toBe(202);
    // Sent in the order asked: once the known one is out, the unknown one would have been too.
    await mailTo('known@example.com', 'Reset your password');
    expect(sys.sink.messages.filter((m) => to(m) === 'ghost@example.com')).toEqual([]);
  });

  it('throttles requests per address, telling when to come back', async () => {
    for (let i = 0; i < 3; i++) expect((await send('POST', '/api/v1/auth/password-reset', { email: 'flood@example.com' })).status).toBe(202);
    const refused = await send('POST', '/api/v1/auth/password-reset', { email: 'flood@example.com' });
    expect(refused).toMatchObject({ status: 429, body: { code: 'AUTH.TOO_MANY_ATTEMPTS' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses an expired link with 410', async () => {
    const { id } = await register('late@example.com');
    const token = 'expiredtokenexpiredtokenexpired2';
    const sha = createHash('sha256').update(token).digest('hex');
    const issued = await db.fork().accountTokens.issue('late@example.com', { id: sha, purpose: 'password_reset', expiresAt: new Date(Date.now() - 1000), link: 'https://x' }, new Date());
    expect(issued).toBe(true);
    expect((await db.fork().accountTokens.find(sha))?.userId).toBe(id);
    expect(await send('GET', `/api/v1/auth/password-reset/${token}`)).toMatchObject({ status: 410, body: { code: 'AUTH.RESET_TOKEN_USED_OR_EXPIRED' } });
    expect(await send('POST', '/api/v1/auth/password-reset/confirm', { token, new_password: 'too-late-anyway' })).toMatchObject({ status: 410 });
    expect((await send('POST', '/api/v1/auth/login', { username: 'late@example.com', password: PASSWORD })).status).toBe(200);
  });

  it('verifies a new client by the emailed link, and only then lets them book (REQUIRE_VERIFIED_EMAIL)', async () => {
    const { staffId, client, next, admin } = await setUpAllDayStaff(sys.api, PASSWORD);
    const booking = (start: number) => ({ staff_id: staffId, start_time: new Date(start).toISOString(), end_time: new Date(start + HOUR).toISOString() });
    const refused = await send('POST', '/api/v1/appointments', booking(next), client);
    expect(refused).toMatchObject({ status: 403, body: { code: 'AUTH.EMAIL_NOT_VERIFIED' } });
    // An admin booking for them vouches for them.
    const me = (await send('GET', '/api/v1/auth/me', undefined, client)).body!;
    expect(me.email_verified).toBe(false);
    expect((await send('POST', '/api/v1/appointments', { ...booking(next), client_id: me.id }, admin)).status).toBe(201);

    // Registration sent a link; they ask for another, and follow that one.
    await mailTo('client@example.com', 'Confirm your email address');
    expect((await send('POST', '/api/v1/auth/verify-email', undefined, client)).status).toBe(202);
    const token = tokenOf(await mailTo('client@example.com', 'Confirm your email address', 2), '/api/v1/auth/verify-email');
    expect((await send('GET', `/api/v1/auth/verify-email/${token}`)).status).toBe(200);
    expect((await send('POST', '/api/v1/auth/verify-email/confirm', { token })).status).toBe(204);
    expect((await send('GET', '/api/v1/auth/me', undefined, client)).body).toMatchObject({ email_verified: true });
    expect(await send('POST', '/api/v1/auth/verify-email/confirm', { token })).toMatchObject({ status: 410, body: { code: 'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED' } });

    // The same session books now (the API judged the refusal on what it kept of it).
    expect((await send('POST', '/api/v1/appointments', booking(next + 2 * HOUR), client)).status).toBe(201);
    // Verified: asking again sends nothing (a reset asked after it shows the worker got that far).
    expect((await send('POST', '/api/v1/auth/verify-email', undefined, client)).status).toBe(202);
    expect((await send('POST', '/api/v1/auth/password-reset', { email: 'client@example.com' })).status).toBe(202);
    await mailTo('client@example.com', 'Reset your password');
    expect(sys.sink.messages.filter((m) => to(m) === 'client@example.com' && m.subject === 'Confirm your email address')).toHaveLength(2);
  });

  it('lets the admin bootstrap account reset too: a link for staff and admins alike', async () => {
    expect((await send('POST', '/api/v1/auth/password-reset', { email: ADMIN.email })).status).toBe(202);
    expect(tokenOf(await mailTo(ADMIN.email, 'Reset your password'), '/api/v1/auth/password-reset')).toMatch(/^[a-z2-7]{32}$/);
  });
});

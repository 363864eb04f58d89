import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

const password = 'correct-horse-1';

describe.each(['sqlite', 'postgresql'] as const)('auth procedures on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let call: (opts?: { token?: string; now?: Date; clientAddress?: string }) => ReturnType<typeof createCaller>;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { LOGIN_MAX_FAILURES: '3' });
    call = (opts = {}) => createCaller({ services: t.api.services, ...opts });
    adminToken = (await call().auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
  });
  afterAll(() => t?.close());

  const register = (email: string, extra: object = {}, token?: string) =>
    call({ token }).auth.register({ email, full_name: 'Test User', password, ...extra });

  it('registers a client by default, with the default time zone, and never returns the password', async () => {
    const user = await register('New.Client@Example.com');
    expect(user).toMatchObject({ email: 'new.client@example.com', role: 'client', timezone: 'UTC', is_active: true, no_show_count: 0, is_blocked: false });
    expect(JSON.stringify(user)).not.toMatch(/password|argon/i);
  });

  it('refuses staff/admin registration without an admin token, allows it with one', async () => {
    await expect(register('staff1@example.com', { role: 'staff' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const clientToken = (await call().auth.login({ username: 'new.client@example.com', password })).access_token;
    await expect(register('staff2@example.com', { role: 'admin' }, clientToken)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const staff = await register('staff3@example.com', { role: 'staff', timezone: 'Europe/Berlin' }, adminToken);
    expect(staff).toMatchObject({ role: 'staff', timezone: 'Europe/Berlin' });
  });

  it('treats emails case-insensitively: a second registration in other case is a conflict', async () => {
    await register('case@example.com');
    await expect(register('CASE@Example.COM')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists/) });
  });

  it('logs in by email in any case, and me returns the user', async () => {
    await register('me@example.com');
    const { access_token, token_type } = await call().auth.login({ username: 'ME@example.com', password });
    expect(token_type).toBe('bearer');
    expect(access_token).toMatch(/^[a-z2-7]{32}$/);
    expect(await call({ token: access_token }).auth.me()).toMatchObject({ email: 'me@example.com' });
  });

  it('takes the email as `email` in place of `username`, and refuses both naming different accounts', async () => {
    await register('alias@example.com');
    const { access_token } = await call().auth.login({ email: 'ALIAS@example.com', password });
    expect(await call({ token: access_token }).auth.me()).toMatchObject({ email: 'alias@example.com' });
    await expect(call().auth.login({ email: 'alias@example.com', username: 'Alias@Example.com', password })).resolves.toMatchObject({ token_type: 'bearer' });
    const both = await call().auth.login({ email: 'alias@example.com', username: 'me@example.com', password }).catch((e: unknown) => e);
    expect(both).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', cause: { issues: [expect.objectContaining({ path: ['email'] })] } });
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await call({ clientAddress: 'a1' }).auth.login({ username: 'nobody@example.com', password }).catch((e: unknown) => e);
    const wrong = await call({ clientAddress: 'a2' }).auth.login({ username: 'me@example.com', password: 'wrong-password' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'UNAUTHORIZED', message: 'Incorrect email or password' });
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Incorrect email or password' });
  });

  it('answers a username that lower-casing lengthens past its limit like any unknown one (the throttle keys it whole)', async () => {
    const username = `${'İ'.repeat(200)}@example.com`; // 212 characters; 412 once lower-cased
    expect(username.toLowerCase().length).toBeGreaterThan(400);
    const answer = await call({ clientAddress: 'a3' }).auth.login({ username, password }).catch((e: unknown) => e);
    expect(answer).toMatchObject({ code: 'UNAUTHORIZED', message: 'Incorrect email or password' });
  });

  it('takes similar time for an unknown email and a wrong password', async () => {
    const time = async (username: string, clientAddress: string) => {
      const start = performance.now();
      await call({ clientAddress }).auth.login({ username, password: 'wrong-password' }).catch(() => undefined);
      return performance.now() - start;
    };
    // Alternate to spread machine noise; each account and address stays under the throttle limit.
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 5; i++) {
      await register(`timing${i}@example.com`);
      unknown.push(await time(`ghost${i}@example.com`, `t-u${i}`));
      known.push(await time(`timing${i}@example.com`, `t-k${i}`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both run a full Argon2id verification (~tens of ms); without the dummy hash the unknown path takes < 1 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
  });

  it('throttles repeated failures for one account and tells when to retry', async () => {
    await register('victim@example.com');
    for (let i = 0; i < 3; i++) {
      await expect(call({ clientAddress: `x${i}` }).auth.login({ username: 'victim@example.com', password: 'nope-nope' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    // Even the right password is refused while throttled: the check runs before verification.
    const throttled = await call({ clientAddress: 'x9' }).auth.login({ username: 'victim@example.com', password }).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((throttled as { cause: { details: { retry_after_seconds: number } } }).cause.details.retry_after_seconds).toBeGreaterThan(0);
  });

  it('throttles repeated failures from one address across accounts', async () => {
    for (let i = 0; i < 12; i++) {
      await call({ clientAddress: 'attacker' }).auth.login({ username: `spray${i}@example.com`, password: 'x' }).catch(() => undefined);
    }
    await expect(call({ clientAddress: 'attacker' }).auth.login({ username: 'me@example.com', password })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Another address is unaffected.
    await expect(call({ clientAddress: 'friendly' }).auth.login({ username: 'me@example.com', password })).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('logout revokes the token it was called with, and only that one', async () => {
    await register('logout@example.com');
    const a = (await call().auth.login({ username: 'logout@example.com', password })).access_token;
    const b = (await call().auth.login({ username: 'logout@example.com', password })).access_token;
    await call({ token: a }).auth.logout();
    await expect(call({ token: a }).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(call({ token: b }).auth.me()).resolves.toMatchObject({ email: 'logout@example.com' });
  });

  it('expires sessions after the lifetime and slides them forward when used in the second half', async () => {
    await register('slide@example.com');
    const lifetime = t.api.services.settings.sessionLifetimeMs;
    const start = new Date();
    const token = (await call({ now: start }).auth.login({ username: 'slide@example.com', password })).access_token;
    // Used at 3/4 of its life: renewed, so it is still valid at 1.5 lifetimes.
    await call({ token, now: new Date(start.getTime() + lifetime * 0.75) }).auth.me();
    await expect(call({ token, now: new Date(start.getTime() + lifetime * 1.5) }).auth.me()).resolves.toMatchObject({ email: 'slide@example.com' });
    // Left unused past its (renewed) expiry: gone.
    await expect(call({ token, now: new Date(start.getTime() + lifetime * 3) }).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/expired/) });
    await expect(call({ token, now: new Date(start.getTime() + lifetime * 0.8) }).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('rejects garbage tokens', async () => {
    await expect(call({ token: 'garbage' }).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(call().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createCaller } from '../caller.ts';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';
import { loggedPath } from '../../request-target.ts';

const password = 'correct-horse-1';

/** The procedures over tRPC; the emails themselves are the worker's (its end-to-end test reads them from a real SMTP server). */
describe.each(['sqlite', 'postgresql'] as const)('account link procedures on %s', (dialect) => {
  let t: TestApi<ApiServer>;
  let call: (opts?: { token?: string; clientAddress?: string }) => ReturnType<typeof createCaller>;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, dialect, { ACCOUNT_EMAILS_MAX_PER_HOUR: '2', VERIFY_EMAIL_URL_TEMPLATE: 'https://clinic.example/verify?t={token}' });
    call = (opts = {}) => createCaller({ services: t.api.services, ...opts });
    adminToken = (await call().auth.login({ username: ADMIN.email, password: ADMIN.password })).access_token;
  });
  afterAll(() => t?.close());

  /** The account emails waiting to be sent to `email`, as the worker would claim them (claiming takes them for a minute). */
  const outbox = async (email: string) => {
    const now = new Date();
    const claims = await t.api.services.db.fork().accountMessages.claimDue(now, new Date(now.getTime() + 60_000), 1000);
    return claims.filter((m) => m.recipient.email === email).map((m) => ({ kind: m.kind, link: m.link }));
  };

  it('queues a verification link with a client’s registration, in the integrator’s template; none for staff', async () => {
    await call().auth.register({ email: 'new@example.com', full_name: 'New Client', password });
    await call({ token: adminToken }).auth.register({ email: 'staff@example.com', full_name: 'New Staff', password, role: 'staff' });
    expect(await outbox('new@example.com')).toEqual([{ kind: 'verify_email', link: expect.stringMatching(/^https:\/\/clinic\.example\/verify\?t=[a-z2-7]{32}$/) }]);
    expect(await outbox('staff@example.com')).toEqual([]);
  });

  it('queues a reset link for a known address only, under the API’s own URL, and answers both alike', async () => {
    await call().auth.register({ email: 'known@example.com', full_name: 'Known', password });
    await outbox('known@example.com'); // its verification link, out of the way
    expect(await call({ clientAddress: 'r1' }).auth.passwordReset.request({ email: 'known@example.com' })).toBeUndefined();
    expect(await call({ clientAddress: 'r1' }).auth.passwordReset.request({ email: 'unknown@example.com' })).toBeUndefined();
    const [reset] = await outbox('known@example.com');
    expect(reset).toEqual({ kind: 'password_reset', link: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/password-reset\/[a-z2-7]{32}$/) });
    const token = reset!.link.split('/').at(-1)!;
    expect(await call().auth.passwordReset.status({ token })).toEqual({ expires_at: expect.any(String) });
    // A reset token is no verification token, and the reverse.
    await expect(call().auth.verifyEmail.confirm({ token })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'AUTH.VERIFY_TOKEN_NOT_FOUND' } });
  });

  it('throttles reset requests per address asked about, whatever the client address, and per client address', async () => {
    for (const clientAddress of ['a', 'b']) await call({ clientAddress }).auth.passwordReset.request({ email: 'target@example.com' });
    await expect(call({ clientAddress: 'c' }).auth.passwordReset.request({ email: 'target@example.com' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // 4× the per-address limit from one client address, spread over addresses asked about.
    for (let i = 0; i < 8; i++) await call({ clientAddress: 'spray' }).auth.passwordReset.request({ email: `spray${i}@example.com` });
    await expect(call({ clientAddress: 'spray' }).auth.passwordReset.request({ email: 'another@example.com' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('sends a signed-in user a verification link on request, none once verified, and refuses API keys', async () => {
    await call().auth.register({ email: 'asks@example.com', full_name: 'Asks', password });
    const token = (await call().auth.login({ username: 'asks@example.com', password })).access_token;
    await outbox('asks@example.com');
    await call({ token, clientAddress: 'v1' }).auth.verifyEmail.request();
    const [link] = await outbox('asks@example.com');
    await call().auth.verifyEmail.confirm({ token: link!.link.split('=').at(-1)! });
    await call({ token, clientAddress: 'v2' }).auth.verifyEmail.request();
    expect(await outbox('asks@example.com')).toEqual([]);
    const { key } = await call({ token: adminToken }).apiKeys.create({ name: 'Key', scopes: ['users:write'] });
    await expect(call({ token: key }).auth.verifyEmail.request()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the request log', () => {
  it('keeps no link token: the path of a link is logged with {token} in its place', () => {
    expect(loggedPath('/api/v1/auth/password-reset/hubo3ivcp4jwdq5kxer6lyfs7mzgtan2?x=1')).toBe('/api/v1/auth/password-reset/{token}');
    expect(loggedPath('/api/v1/auth/verify-email/secret')).toBe('/api/v1/auth/verify-email/{token}');
    expect(loggedPath('/api/v1/auth/password-reset/confirm')).toBe('/api/v1/auth/password-reset/confirm');
    expect(loggedPath('/api/v1/appointments/12')).toBe('/api/v1/appointments/12');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

const password = 'correct-horse-1';

describe('limits that protect the Argon2-backed endpoints', () => {
  let t: TestApi;
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite', { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES: '1', REGISTER_MAX_PER_HOUR: '2' });
  });
  afterAll(() => t?.close());

  it('limits sign-ups per address, but not an admin creating accounts', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    expect((await post('/api/v1/auth/register', { email: 'r1@example.com', full_name: 'R', password }, from)).status).toBe(201);
    expect((await post('/api/v1/auth/register', { email: 'r2@example.com', full_name: 'R', password }, from)).status).toBe(201);
    const third = await post('/api/v1/auth/register', { email: 'r3@example.com', full_name: 'R', password }, from);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS' });
    const token = await login(t.url, ADMIN.email, ADMIN.password);
    const byAdmin = await post('/api/v1/auth/register', { email: 'r4@example.com', full_name: 'R', password }, { ...from, authorization: `Bearer ${token}` });
    expect(byAdmin.status).toBe(201);
  });

  it('throttles by the address the trusted proxy saw (right-most X-Forwarded-For), not one the client made up', async () => {
    // LOGIN_MAX_FAILURES=1: 4 failures per address; accounts differ so only the address limit applies.
    const attempt = (i: number, forwarded: string) =>
      post('/api/v1/auth/login', { username: `nobody${i}@example.com`, password: 'wrong-pass' }, { 'x-forwarded-for': forwarded });
    for (let i = 0; i < 4; i++) expect((await attempt(i, `10.9.9.${i}, 198.51.100.1`)).status).toBe(401);
    // A spoofed left-most entry changes nothing: the proxy's entry is the same address.
    expect((await attempt(10, '1.2.3.4, 198.51.100.1')).status).toBe(429);
    // Another client (another right-most entry) is unaffected; garbage falls back to the socket address.
    expect((await attempt(11, '198.51.100.2')).status).toBe(401);
    expect((await attempt(12, 'not-an-ip')).status).toBe(401);
  });

  it('limits guesses of current_password like logins', async () => {
    await post('/api/v1/auth/register', { email: 'victim@example.com', full_name: 'V', password }, { 'x-forwarded-for': '192.0.2.50' });
    const token = await login(t.url, 'victim@example.com', password);
    const me = (await (await fetch(`${t.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: number };
    const guess = (current_password: string) =>
      fetch(`${t.url}/api/v1/users/${me.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ password: 'attacker-pass-1', current_password }),
      });
    expect((await guess('guess-one')).status).toBe(403);
    expect((await guess(password)).status).toBe(429); // even the right one, until the window passes
  });
});

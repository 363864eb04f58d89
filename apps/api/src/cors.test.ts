import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';
import { startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from './server.ts';

const SHOP = 'https://shop.example.com';

describe('CORS_ORIGINS', () => {
  it('takes origins or *, and refuses anything else at start-up', () => {
    expect(parseEnv({ DATA_DIR: '/tmp' }).CORS_ORIGINS).toEqual([]);
    expect(parseEnv({ DATA_DIR: '/tmp', CORS_ORIGINS: ` ${SHOP}, http://localhost:5173 ` }).CORS_ORIGINS).toEqual([SHOP, 'http://localhost:5173']);
    expect(parseEnv({ DATA_DIR: '/tmp', CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    for (const bad of ['shop.example.com', `${SHOP}/`, `${SHOP}/path`]) expect(() => parseEnv({ DATA_DIR: '/tmp', CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
  });
});

describe('cross-origin requests from browsers', () => {
  let listed: TestApi;
  let closed: TestApi;
  let open: TestApi;
  beforeAll(async () => {
    listed = await startTestApi({ createServer, parseEnv }, 'sqlite', { CORS_ORIGINS: SHOP });
    closed = await startTestApi({ createServer, parseEnv }, 'sqlite', { DATABASE_URL: listed.databaseUrl });
    open = await startTestApi({ createServer, parseEnv }, 'sqlite', { DATABASE_URL: listed.databaseUrl, CORS_ORIGINS: '*' });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
    await listed?.close();
  });

  const preflight = (t: TestApi, origin: string) =>
    fetch(`${t.url}/api/v1/appointments`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
  const get = (t: TestApi, origin: string, path = '/api/v1/availability/slots?staff_id=1&date=2031-01-06') => fetch(`${t.url}${path}`, { headers: { origin } });

  it('answers a listed origin’s preflight with what a booking needs', async () => {
    const res = await preflight(listed, SHOP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type, idempotency-key');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('marks a listed origin’s answers readable, errors and repeated (cached) answers alike', async () => {
    for (const path of ['/healthz', '/api/v1/availability/slots?staff_id=1&date=2031-01-06', '/api/v1/availability/slots?staff_id=1&date=2031-01-06', '/api/v1/appointments']) {
      const res = await get(listed, SHOP, path);
      expect(res.headers.get('access-control-allow-origin'), path).toBe(SHOP);
      expect(res.headers.get('access-control-expose-headers'), path).toBe('retry-after, x-next-cursor, link');
    }
  });

  it('gives other origins, and every origin when none is listed, nothing to read', async () => {
    for (const [t, origin] of [[listed, 'https://evil.example.com'], [closed, SHOP]] as const) {
      expect((await get(t, origin)).headers.get('access-control-allow-origin')).toBeNull();
      const answer = await preflight(t, origin);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('with *, lets any page read answers (tokens are bearer headers, never cookies)', async () => {
    expect((await get(open, 'https://anywhere.example')).headers.get('access-control-allow-origin')).toBe('*');
    expect((await preflight(open, 'https://anywhere.example')).status).toBe(204);
  });
});

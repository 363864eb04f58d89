import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@appointments/db';
import { postgresTestTarget, TEST_POSTGRES_URL, type TestTarget } from '@appointments/testkit/db';
import { ADMIN, rest, setUpScenario, slot, startTestApi, type RestAnswer, type Scenario, type TestApi } from '@appointments/testkit/api';
import { startTcpProxy, type TcpProxy } from '@appointments/testkit/faults';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

/** An outage must be answered, not waited out: well under a client's usual timeout. */
const ANSWER_WITHIN_MS = 5_000;
/** After the database is back, the same process serves again within this. */
const RECOVER_WITHIN_MS = 10_000;
/** A database that hangs (nothing closed, nothing answered) is given up on within this: the query timeout and then some. */
const FROZEN_ANSWER_WITHIN_MS = 10_000;

function expectUnavailable(answer: RestAnswer, label: string, withinMs = ANSWER_WITHIN_MS): void {
  expect({ label, status: answer.status, code: answer.body.code }).toEqual({ label, status: 503, code: 'SERVICE.UNAVAILABLE' });
  expect(answer.body.message, label).toMatch(/database is unavailable/i);
  expect(answer.headers.get('retry-after'), label).toBe('5');
  expect(answer.ms, label).toBeLessThan(withinMs);
}

async function waitUntilReady(url: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < RECOVER_WITHIN_MS) {
    if ((await rest(url, 'GET', '/readyz')).status === 200) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready again within ${RECOVER_WITHIN_MS} ms`);
}

async function appointmentCount(url: string, scenario: Scenario): Promise<number> {
  const list = await rest(url, 'GET', `/api/v1/appointments?staff_id=${scenario.staffId}`, { token: scenario.adminToken });
  expect(list.status).toBe(200);
  return (list.body as unknown as unknown[]).length;
}

describe('PostgreSQL goes away under a running API, then comes back', () => {
  let target: TestTarget;
  let proxy: TcpProxy;
  let t: TestApi;
  let scenario: Scenario;

  beforeAll(async () => {
    target = await postgresTestTarget();
    const upstream = new URL(TEST_POSTGRES_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const proxied = new URL(target.target.dialect === 'postgresql' ? target.target.url : '');
    proxied.host = `127.0.0.1:${proxy.port}`;
    t = await startTestApi({ createServer, parseEnv }, 'postgresql', { DATABASE_URL: proxied.toString() });
    scenario = await setUpScenario(t.url, ADMIN, 1);
  }, 60_000);
  afterAll(async () => {
    proxy?.restore(); // a failed test may have left it frozen: the API could not close
    await t?.close();
    await proxy?.close();
    await target?.drop();
  });

  it('answers 503 SERVICE.UNAVAILABLE within seconds while cut, stays alive, and recovers without a restart', async () => {
    const [client] = scenario.clients;
    expect((await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 0) } })).status).toBe(201);

    proxy.cut();
    const ready = await rest(t.url, 'GET', '/readyz');
    expectUnavailable(ready, 'readyz');
    expect((await rest(t.url, 'GET', '/healthz')).status).toBe(200);
    const during = {
      login: await rest(t.url, 'POST', '/api/v1/auth/login', { json: { username: 'client0@example.com', password: 'correct-horse-1' } }),
      slots: await rest(t.url, 'GET', `/api/v1/availability/slots?staff_id=${scenario.staffId}&date=${scenario.firstDay}`),
      book: await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 1) } }),
      list: await rest(t.url, 'GET', '/api/v1/appointments', { token: client!.token }),
    };
    for (const [label, answer] of Object.entries(during)) expectUnavailable(answer, label);
    // More requests at once than the pool has connections: none may queue past the bound.
    const burst = await Promise.all(
      Array.from({ length: 15 }, (_, i) => rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 2 + i) } })),
    );
    burst.forEach((answer, i) => expectUnavailable(answer, `burst ${i}`));
    // Retried logins during the outage are the database's failures, not wrong passwords: no lock-out after.
    for (let i = 0; i < 8; i++) {
      expectUnavailable(await rest(t.url, 'POST', '/api/v1/auth/login', { json: { username: 'client0@example.com', password: 'correct-horse-1' } }), `login retry ${i}`);
    }

    proxy.restore();
    const recoveredMs = await waitUntilReady(t.url);
    expect((await rest(t.url, 'POST', '/api/v1/auth/login', { json: { username: 'client0@example.com', password: 'correct-horse-1' } })).status).toBe(200);
    expect((await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 1) } })).status).toBe(201);
    // The booking before and the one after: nothing tried during the outage was stored.
    expect(await appointmentCount(t.url, scenario)).toBe(2);

    const slowest = Math.max(ready.ms, ...Object.values(during).map((a) => a.ms), ...burst.map((a) => a.ms));
    console.info(`[outage postgresql] readyz 503 in ${ready.ms} ms; slowest 503 ${slowest} ms; ready again ${recoveredMs} ms after restore`);
  }, 60_000);

  it('answers within the connect timeout when the server stops answering at all (no reset to notice)', async () => {
    const [client] = scenario.clients;
    proxy.cut({ silent: true });
    const ready = await rest(t.url, 'GET', '/readyz');
    expectUnavailable(ready, 'readyz');
    const book = await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 30) } });
    expectUnavailable(book, 'book');
    const list = await rest(t.url, 'GET', '/api/v1/appointments', { token: client!.token });
    expectUnavailable(list, 'list');

    proxy.restore();
    const recoveredMs = await waitUntilReady(t.url);
    expect((await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 30) } })).status).toBe(201);
    console.info(`[outage postgresql, silent] readyz 503 in ${ready.ms} ms; booking 503 in ${book.ms} ms; ready again ${recoveredMs} ms after restore`);
  }, 60_000);

  it('answers every kind of route with 503 within seconds when the connection hangs open, and recovers by itself', async () => {
    const [client] = scenario.clients;
    const token = client!.token;
    // Twice the bound: an answer that never comes fails here instead of at the test's timeout.
    const timeoutMs = 2 * FROZEN_ANSWER_WITHIN_MS;
    const routes = (slotIndex: number) => ({
      readyz: () => rest(t.url, 'GET', '/readyz', { timeoutMs }),
      me: () => rest(t.url, 'GET', '/api/v1/auth/me', { token, timeoutMs }),
      login: () => rest(t.url, 'POST', '/api/v1/auth/login', { json: { username: 'client0@example.com', password: 'correct-horse-1' }, timeoutMs }),
      // With a key, as a client that retries a 503 should: an answer lost in the hang may still have booked.
      book: () =>
        rest(t.url, 'POST', '/api/v1/appointments', {
          token,
          json: { staff_id: scenario.staffId, ...slot(scenario, slotIndex) },
          idempotencyKey: `frozen-${slotIndex}`,
          timeoutMs,
        }),
      slots: () => rest(t.url, 'GET', `/api/v1/availability/slots?staff_id=${scenario.staffId}&date=${scenario.firstDay}`, { timeoutMs }),
      list: () => rest(t.url, 'GET', '/api/v1/appointments', { token, timeoutMs }),
      ics: () => rest(t.url, 'GET', '/api/v1/appointments/export-all.ics', { token, timeoutMs }),
    });
    const callAll = async (calls: Record<string, () => Promise<RestAnswer>>) =>
      Object.fromEntries(await Promise.all(Object.entries(calls).map(async ([label, call]) => [label, await call()] as const)));
    const before = await appointmentCount(t.url, scenario);
    // Every route once, so the pool holds connections when they freeze, as in production.
    const warm = await callAll(routes(40));
    expect(Object.values(warm).map((answer) => answer.status)).toEqual([200, 200, 200, 201, 200, 200, 200]);

    proxy.freeze();
    const during = await callAll(routes(41));
    for (const [label, answer] of Object.entries(during)) expectUnavailable(answer, label, FROZEN_ANSWER_WITHIN_MS);
    // More at once than the pool has connections, while earlier ones may still hang: none waits past the bound.
    const burst = await Promise.all(Array.from({ length: 15 }, (_, i) => routes(42 + i).book()));
    burst.forEach((answer, i) => expectUnavailable(answer, `burst ${i}`, FROZEN_ANSWER_WITHIN_MS));
    // And again, now that connections have been given up on: still bounded, not queued behind stuck ones.
    const again = await callAll(routes(41));
    for (const [label, answer] of Object.entries(again)) expectUnavailable(answer, `${label} again`, FROZEN_ANSWER_WITHIN_MS);

    proxy.restore();
    const recoveredMs = await waitUntilReady(t.url);
    // The same requests again (the bookings with their keys): all answered, each booking made once.
    const after = await callAll(routes(41));
    expect(Object.fromEntries(Object.entries(after).map(([label, answer]) => [label, answer.status]))).toEqual({
      readyz: 200,
      me: 200,
      login: 200,
      book: 201,
      slots: 200,
      list: 200,
      ics: 200,
    });
    const burstAfter = await Promise.all(Array.from({ length: 15 }, (_, i) => routes(42 + i).book()));
    expect(burstAfter.map((answer) => answer.status)).toEqual(burstAfter.map(() => 201));
    expect(await appointmentCount(t.url, scenario)).toBe(before + 2 + 15);

    const times = (answers: Record<string, RestAnswer>) => Object.entries(answers).map(([label, answer]) => `${label} ${answer.ms}`).join(', ');
    console.info(
      `[outage postgresql, frozen] 503 in ms: ${times(during)}; burst slowest ${Math.max(...burst.map((answer) => answer.ms))}; again: ${times(again)}; ready again ${recoveredMs} ms after restore`,
    );
  }, 120_000);
});

describe('SQLite cannot be written (another process holds the write lock), then can', () => {
  let t: TestApi;
  let scenario: Scenario;
  let holder: Database;

  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite');
    scenario = await setUpScenario(t.url, ADMIN, 1);
    // A second connection, as a backup tool or a stuck migration in another process would hold one.
    holder = await Database.open({ dialect: 'sqlite', path: t.databaseUrl.replace(/^sqlite:\/\/\//, '') }, { migrate: false });
  }, 60_000);
  afterAll(async () => {
    await holder?.close();
    await t?.close();
  });

  it('answers writes with 503 after the busy timeout, keeps serving reads, and writes again once the lock is gone', async () => {
    const [client] = scenario.clients;
    expect((await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 0) } })).status).toBe(201);

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (repos) => {
      await repos.users.lockForUpdate(scenario.staffId);
      locked();
      await released;
    });
    await isLocked;

    // Several writes at once: better-sqlite3 waits out its busy timeout (5 s) synchronously, so the
    // first is answered after it; the others, queued behind it, must not wait it out again each.
    const books = await Promise.all(
      [1, 2, 3, 4].map((i) => rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, i) } })),
    );
    for (const [i, book] of books.entries()) {
      expect(book.ms, `write ${i}`).toBeLessThan(ANSWER_WITHIN_MS + 3_000);
      expectUnavailable({ ...book, ms: 0 }, `book ${i}`);
    }
    const book = books[0]!;
    // Reads need no write lock in WAL mode: the API still lists, shows slots and reports ready.
    expect((await rest(t.url, 'GET', `/api/v1/availability/slots?staff_id=${scenario.staffId}&date=${scenario.firstDay}`)).status).toBe(200);
    expect(await appointmentCount(t.url, scenario)).toBe(1);
    expect((await rest(t.url, 'GET', '/readyz')).status).toBe(200);
    expect((await rest(t.url, 'GET', '/healthz')).status).toBe(200);

    release();
    await holding;
    expect((await rest(t.url, 'POST', '/api/v1/appointments', { token: client!.token, json: { staff_id: scenario.staffId, ...slot(scenario, 1) } })).status).toBe(201);
    expect(await appointmentCount(t.url, scenario)).toBe(2);
    console.info(`[outage sqlite] booking under a held write lock: 503 in ${book.ms} ms; writes work again right after release`);
  }, 60_000);
});

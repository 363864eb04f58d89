import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL } from '@appointments/testkit/db';
import { startTcpProxy, type TcpProxy } from '@appointments/testkit/faults';
import { spawnWorker, type NodeProcess } from '@appointments/testkit/processes';
import { isAppointmentEmail, staffAndClient, startTestSystem, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

/** As the API answers its requests: a database that hangs is given up on within this. */
const GIVE_UP_WITHIN_MS = 10_000;

describe('the worker when PostgreSQL hangs (connections open, nothing answered), then comes back', () => {
  let sys: TestSystem<RunningWorker>;
  let proxy: TcpProxy;
  let worker: NodeProcess | undefined;

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, 'postgresql');
    const upstream = new URL(TEST_POSTGRES_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  }, 60_000);
  afterAll(async () => {
    proxy?.restore(); // a failed test may have left it frozen: the worker could not stop
    await worker?.stop();
    await proxy?.close();
    await sys?.close();
  });

  it('reports failed outbox and queue reads within seconds instead of hanging, turns unhealthy, and delivers everything once it is back', async () => {
    const { bookMany } = await staffAndClient(sys);
    // The worker reaches the database (outbox and queue) only through the proxy; the API directly, so it books on.
    const proxied = new URL(sys.api.databaseUrl);
    proxied.host = `127.0.0.1:${proxy.port}`;
    const running = spawnWorker(sys.workerEnvVars({ DATABASE_URL: proxied.toString(), LOG_LEVEL: 'info' }));
    worker = running;
    const health = String((await running.waitForLog(/^worker started/)).health);
    await bookMany(1);
    await sys.sink.waitFor(2, 30_000, isAppointmentEmail); // both confirmations: the worker's connections are open and in use

    proxy.freeze();
    const frozenAt = performance.now();
    const mark = running.lines.length;
    const since = (msg: string) => (line: Record<string, unknown>) => running.lines.indexOf(line) >= mark && line.msg === msg;
    await bookMany(2); // four more emails owed, recorded in the outbox while the worker cannot read it

    await running.waitFor(since('outbox relay failed; retrying'), 2 * GIVE_UP_WITHIN_MS);
    const relayFailedMs = performance.now() - frozenAt;
    await running.waitFor(since('queue error'), 2 * GIVE_UP_WITHIN_MS);
    const queueFailedMs = performance.now() - frozenAt;
    expect(relayFailedMs).toBeLessThan(GIVE_UP_WITHIN_MS);
    expect(queueFailedMs).toBeLessThan(GIVE_UP_WITHIN_MS);
    // The webhook sender's claims give up as the relay's reads do.
    await running.waitFor(since('claiming webhook deliveries failed; retrying'), GIVE_UP_WITHIN_MS);
    // Queue errors are logged at most every 10 s: a second one means they went on that long, and the worker says so.
    const queueErrors = () => running.lines.filter(since('queue error'));
    await running.waitFor((line) => since('queue error')(line) && queueErrors().length >= 2, 3 * GIVE_UP_WITHIN_MS);
    expect((await fetch(health)).status).toBe(503);

    proxy.restore();
    const restoredAt = performance.now();
    await sys.sink.waitFor(6, 30_000, isAppointmentEmail);
    console.info(
      `[worker, frozen postgresql] relay failure reported after ${Math.round(relayFailedMs)} ms, queue error after ${Math.round(queueFailedMs)} ms; the 4 owed emails sent ${Math.round(performance.now() - restoredAt)} ms after restore`,
    );
    expect(await running.stop()).toBe(0);
  }, 120_000);
});

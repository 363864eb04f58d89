import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Database, parseDatabaseUrl, type WebhookDelivery } from '@appointments/db';
import { generateWebhookSecret } from '@appointments/runtime';
import { spawnWorker, type NodeProcess } from '@appointments/testkit/processes';
import { startWebhookReceiver, type WebhookReceiver } from '@appointments/testkit/webhooks';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';

const WEBHOOKS = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_DELAY_SECONDS: '1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Worker processes on the API's database with a webhook receiver: what a deployment runs. */
function useSystem(engine: Engine) {
  const suite = {} as { sys: TestSystem<RunningWorker>; db: Database; receiver: WebhookReceiver };
  const workers: NodeProcess[] = [];
  beforeAll(async () => {
    suite.sys = await startTestSystem({ parseEnv, startWorker }, engine);
    suite.db = await Database.open(parseDatabaseUrl(suite.sys.api.databaseUrl, suite.sys.dataDir), { migrate: false });
    suite.receiver = await startWebhookReceiver();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(async () => {
    await suite.receiver?.close();
    await suite.db?.close();
    await suite.sys?.close();
  });
  return {
    suite,
    /** A worker process; resolves once it has started. */
    async spawn(extra: Record<string, string>): Promise<NodeProcess> {
      const worker = spawnWorker(suite.sys.workerEnvVars({ LOG_LEVEL: 'info', ...WEBHOOKS, ...extra }));
      workers.push(worker);
      await worker.waitForLog('worker started', 30_000);
      return worker;
    },
    async endpoint(path: string) {
      const secret = generateWebhookSecret();
      const hook = await suite.db.fork().webhooks.create({ url: `${suite.receiver.url}${path}`, events: ['client.blocked', 'client.unblocked'], description: null, secret }, new Date());
      return { ...hook, secret };
    },
    /** The endpoint's deliveries once none is pending. */
    async settled(webhookId: number, timeoutMs: number): Promise<readonly WebhookDelivery[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { items } = await suite.db.fork().webhookDeliveries.list({ webhookId, limit: 10_000 });
        if (items.every((d) => d.status !== 'pending')) return items;
        if (Date.now() > deadline) throw new Error(`deliveries of webhook ${webhookId} still pending: ${items.filter((d) => d.status === 'pending').length}`);
        await sleep(100);
      }
    },
  };
}

describe.each(['sqlite', 'postgresql'] as Engine[])('a worker SIGKILLed mid-delivery on %s', (engine) => {
  const { suite, spawn, endpoint, settled } = useSystem(engine);

  it('leaves its claim to run out; a restarted worker delivers the same message', async () => {
    // A short timeout: the dead worker's claim (2 × timeout + 5 s) runs out soon.
    const env = { WEBHOOK_TIMEOUT_SECONDS: '1' };
    const hook = await endpoint('/held');
    let calls = 0;
    // The first POST is held open until the worker dies; the next one is accepted.
    suite.receiver.answerWith(() => (++calls === 1 ? new Promise(() => undefined) : { status: 200 }));
    const first = await spawn(env);
    const delivery = await suite.db.fork().webhookDeliveries.ping(hook.id, new Date());
    await suite.receiver.waitFor('/held', 1, 30_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    // Claimed, nothing recorded.
    expect(await suite.db.fork().webhookDeliveries.findById(delivery.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: null });

    await spawn(env);
    const requests = await suite.receiver.waitFor('/held', 2, 30_000);
    const [delivered] = await settled(hook.id, 15_000);
    expect(delivered).toMatchObject({ id: delivery.id, status: 'delivered', attempts: 2 });
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([`msg_${delivery.eventId}`, `msg_${delivery.eventId}`]);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    for (const request of requests) expect(new Webhook(hook.secret).verify(request.body, request.headers)).toMatchObject({ type: 'ping' });
    // Not before the claim ran out.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(2 * 1_000 + 5_000 - 500);
  }, 90_000);
});

describe('two worker processes on one PostgreSQL database', () => {
  const { suite, spawn, endpoint, settled } = useSystem('postgresql');

  it('post each of 200 events to each of 2 endpoints exactly once', async () => {
    const endpoints = [await endpoint('/a'), await endpoint('/b')];
    // Answers take a moment, so both workers have POSTs in flight at once.
    suite.receiver.answerWith(() => sleep(5).then(() => ({ status: 204 })));
    // Debug: each worker logs every delivery it made.
    const workers = await Promise.all([spawn({ LOG_LEVEL: 'debug' }), spawn({ LOG_LEVEL: 'debug' })]);
    const client = await suite.db.fork().users.create({ email: 'cleo@example.com', fullName: 'Cleo Client', role: 'client', passwordHash: 'x', timezone: 'UTC' });
    for (let i = 0; i < 200; i++) {
      await suite.db.fork().userEvents.append({ userId: client.id, actorId: null, actorApiKeyId: null, at: new Date(), action: i % 2 === 0 ? 'blocked' : 'unblocked', reason: null });
    }
    for (const { id } of endpoints) {
      const deliveries = await settled(id, 60_000);
      expect(deliveries).toHaveLength(200);
      // Claimed once each: every claim counts an attempt.
      expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    }
    const counts = new Map<string, number>();
    for (const { path, headers } of suite.receiver.requests) counts.set(`${path} ${headers['webhook-id']}`, (counts.get(`${path} ${headers['webhook-id']}`) ?? 0) + 1);
    expect(counts.size).toBe(400);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Both took part, each within its WEBHOOK_CONCURRENCY (10). A line is logged after its record
    // commits, so the last ones may still be on their way.
    const delivered = () => workers.map((worker) => worker.lines.filter((line) => line.msg === 'webhook delivered').length);
    for (let waited = 0; delivered()[0]! + delivered()[1]! < 400 && waited < 5_000; waited += 50) await sleep(50);
    expect(delivered()[0]! + delivered()[1]!).toBe(400);
    expect(delivered().every((n) => n > 0)).toBe(true);
    expect(suite.receiver.maxOpen).toBeLessThanOrEqual(20);
  }, 120_000);
});

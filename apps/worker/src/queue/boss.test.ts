import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestTarget } from '@appointments/testkit/db';
import { openQueue, queueTarget, type Queue, type QueueOptions, type QueueTarget } from './boss.ts';

const logger = pino({ level: 'silent' });

/** Items pushed by handlers, awaited by tests (no sleeps). */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];
  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }
  /** Resolves once `count` items arrived; rejects after `timeoutMs`. */
  async until(count: number, timeoutMs: number): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} items, got ${this.items.length}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
    return this.items;
  }
}

/** Retries `attempt` until it returns true: for state pg-boss settles just after a handler returns. */
async function eventually(attempt: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

interface Backend {
  make(): Promise<{ target: QueueTarget; drop(): Promise<void> }>;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

// A new queue is unpacked and given pg-boss's schema once; each test gets a copy.
const pgliteRoot = mkdtempSync(join(tmpdir(), 'queue-test-'));
const pgliteTemplate = join(pgliteRoot, 'template');

const backends: Record<'postgresql' | 'pglite', Backend> = {
  postgresql: {
    async make() {
      const db = await postgresTestTarget();
      if (db.target.dialect !== 'postgresql') throw new Error('expected PostgreSQL');
      return { target: { kind: 'postgresql', url: db.target.url }, drop: db.drop };
    },
  },
  pglite: {
    async setup() {
      // In a child process: PGlite's start-up and pg-boss's migrations are CPU-bound WASM that would stall the other tests' timers.
      const script = `import { pino } from 'pino'; import { openQueue } from ${JSON.stringify(join(import.meta.dirname, 'boss.ts'))};
        const queue = await openQueue({ target: { kind: 'pglite', dir: process.argv[1] }, retryLimit: 0, retryDelaySeconds: 1, jobTimeoutSeconds: 2, logger: pino({ level: 'silent' }) });
        await queue.stop(1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, pgliteTemplate], { cwd: import.meta.dirname, stdio: 'inherit' });
      const code = await new Promise((done) => child.once('exit', done));
      if (code !== 0) throw new Error(`creating the PGlite template failed (${String(code)})`);
    },
    async make() {
      const dir = mkdtempSync(join(pgliteRoot, 'case-'));
      cpSync(pgliteTemplate, dir, { recursive: true });
      return { target: { kind: 'pglite', dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
    async teardown() {
      rmSync(pgliteRoot, { recursive: true, force: true });
    },
  },
};

const defaults = { retryLimit: 2, retryDelaySeconds: 1, jobTimeoutSeconds: 2, logger } satisfies Omit<QueueOptions, 'target'>;

/** A fresh database (or PGlite dir) for one test, so tests share nothing. */
async function useCase(backend: Backend, onTestFinished: (cleanup: () => Promise<void>) => void) {
  const { target, drop } = await backend.make();
  const open: Queue[] = [];
  onTestFinished(async () => {
    for (const queue of open) await queue.stop(1000);
    await drop();
  });
  return {
    target,
    async start(options: Partial<QueueOptions> = {}): Promise<Queue> {
      const queue = await openQueue({ ...defaults, target, ...options });
      open.push(queue);
      return queue;
    },
  };
}

// Concurrent: most of each test is waiting on pg-boss's timers.
// One test at a time: PGlite is CPU-bound WASM, and under CI load concurrent instances starve each other.
describe.each(Object.entries(backends))('queue on %s', (kind, backend) => {
  beforeAll(async () => backend.setup?.(), 60_000);
  afterAll(async () => backend.teardown?.());

  it('delivers a job once per key and frees the key when it completed', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const queue = await start();
    expect(queue.isHealthy()).toBe(true);
    expect(await queue.enqueue([{ notificationId: 1, key: 'confirmation:1:0:7', startAfter: new Date(Date.now() + 500) }])).toBe(1);
    // Queued: the exclusive policy refuses a second job with the key.
    expect(await queue.enqueue([{ notificationId: 1, key: 'confirmation:1:0:7', startAfter: new Date() }])).toBe(0);
    expect(await queue.enqueue([{ notificationId: 2, key: 'confirmation:2:0:7', startAfter: new Date() }])).toBe(1);

    const started = new Inbox<number>();
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    await queue.work(
      async (job) => {
        started.push(job.notificationId);
        if (job.notificationId === 1) await gate;
      },
      { concurrency: 2 },
    );
    await started.until(2, 30_000);
    // Active: still refused.
    expect(await queue.enqueue([{ notificationId: 1, key: 'confirmation:1:0:7', startAfter: new Date() }])).toBe(0);
    release();
    // Completed: the key is free again (an admin "retry" enqueues the same key).
    await eventually(async () => (await queue.enqueue([{ notificationId: 1, key: 'confirmation:1:0:7', startAfter: new Date() }])) === 1, 3_000);
    await started.until(3, 30_000);
    expect(started.items.toSorted()).toEqual([1, 1, 2]);

    await queue.stop(1000);
    expect(queue.isHealthy()).toBe(false);
  }, 60_000);

  it('holds a job until its startAfter', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const queue = await start();
    const due = Date.now() + 1500;
    await queue.enqueue([{ notificationId: 7, key: 'later', startAfter: new Date(due) }]);
    const ran = new Inbox<number>();
    await queue.work(async () => ran.push(Date.now()), { concurrency: 1 });
    const [at] = await ran.until(1, 30_000);
    expect(at).toBeGreaterThanOrEqual(due - 50); // the database clock is this host's
    expect(at).toBeLessThan(due + 2500);
  }, 60_000);

  it('retries with exponential backoff, then dead-letters with the last error', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const queue = await start({ retryLimit: 2, retryDelaySeconds: 1 });
    const attempts = new Inbox<{ at: number; retryCount: number; retryLimit: number }>();
    const dead = new Inbox<{ notificationId: number; error: string }>();
    await queue.work(
      async (job) => {
        attempts.push({ at: Date.now(), retryCount: job.retryCount, retryLimit: job.retryLimit });
        throw new Error(`smtp down (attempt ${job.retryCount})`);
      },
      { concurrency: 1 },
    );
    await queue.workDead(async (job) => dead.push({ notificationId: job.notificationId, error: job.error }));
    await queue.enqueue([{ notificationId: 3, key: 'failing', startAfter: new Date() }]);

    const [deadJob] = await dead.until(1, 30_000);
    expect(deadJob).toEqual({ notificationId: 3, error: 'smtp down (attempt 2)' });
    expect(attempts.items.map((a) => [a.retryCount, a.retryLimit])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    // Delay before retry n is retryDelay * 2^n/2 * (1 + random): 1–2 s, then 2–4 s (+ polling).
    const [first, second, third] = attempts.items.map((a) => a.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(second - first).toBeLessThan(4_000);
    expect(third - second).toBeGreaterThanOrEqual(1_950);
    expect(third - second).toBeLessThan(6_500);
    // Failed for good: the key is free again.
    expect(await queue.enqueue([{ notificationId: 3, key: 'failing', startAfter: new Date(Date.now() + 60_000) }])).toBe(1);
  }, 60_000);

  // On PGlite the next worker takes the job over as it opens (the next test).
  it.runIf(kind === 'postgresql')('gives a job of a killed worker to the next one after the job timeout', async ({ onTestFinished }) => {
    const { start, target } = await useCase(backend, onTestFinished);
    const producer = await start();
    await producer.enqueue([{ notificationId: 9, key: 'killed', startAfter: new Date() }]);
    await producer.stop(1000); // PGlite: one process at a time

    const child = spawn(process.execPath, [join(import.meta.dirname, 'kill-fixture.ts'), JSON.stringify(target), '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((done) => child.once('exit', done));
    let startedAt = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('{')) {
        expect(JSON.parse(line)).toEqual({ started: 9, retryCount: 0 });
        startedAt = Date.now();
        break;
      }
    }
    child.kill('SIGKILL');
    await exited;
    expect(startedAt).toBeGreaterThan(0);

    // PGlite: this also takes over the dead process's lock.
    const next = await start();
    const again = new Inbox<{ at: number; retryCount: number }>();
    await next.work(async (job) => again.push({ at: Date.now(), retryCount: job.retryCount }), { concurrency: 1 });
    const [retried] = await again.until(1, 30_000);
    expect(retried?.retryCount).toBe(1);
    // Expired after 2 s (the supervisor runs every second here), then a 1–2 s retry delay.
    expect(retried!.at - startedAt).toBeGreaterThanOrEqual(2_000);
    expect(retried!.at - startedAt).toBeLessThan(8_000);
  }, 60_000);

  it('sends a killed worker\'s jobs again without the retry delay: at once on PGlite, once their heartbeat lapsed on PostgreSQL', async ({ onTestFinished }) => {
    const { start, target } = await useCase(backend, onTestFinished);
    // The jobs carry a long retry delay and job timeout: neither may decide when they run again.
    const slow = { retryDelaySeconds: 60, jobTimeoutSeconds: 600 };
    const producer = await start(slow);
    await producer.enqueue([{ notificationId: 9, key: 'killed', startAfter: new Date() }]);
    await producer.stop(1000); // PGlite: one process at a time

    const child = spawn(process.execPath, [join(import.meta.dirname, 'kill-fixture.ts'), JSON.stringify(target), '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((done) => child.once('exit', done));
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('{')) break;
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const next = await start(slow);
    const openedAt = Date.now();
    const again = new Inbox<{ at: number; retryCount: number }>();
    await next.work(async (job) => again.push({ at: Date.now(), retryCount: job.retryCount }), { concurrency: 1 });
    const [retried] = await again.until(1, 30_000);
    // The crash counts as an attempt, so a job that keeps killing its worker ends in the dead-letter queue.
    expect(retried?.retryCount).toBe(1);
    if (kind === 'pglite') {
      expect(retried!.at - openedAt).toBeLessThan(3_000);
    } else {
      // Heartbeats are refreshed every second and lapse after 10 s; a live worker's job is never taken.
      expect(retried!.at - killedAt).toBeGreaterThanOrEqual(8_000);
      expect(retried!.at - killedAt).toBeLessThan(14_000);
    }
  }, 60_000);

  it('stop waits for running jobs up to its timeout, and a job still running is retried later', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const queue = await start({ jobTimeoutSeconds: 30 });
    const started = new Inbox<AbortSignal>();
    await queue.work(async (job) => {
      started.push(job.signal);
      await new Promise(() => undefined); // ignores its signal: a hung SMTP server
    }, { concurrency: 1 });
    await queue.enqueue([{ notificationId: 4, key: 'hung', startAfter: new Date() }]);
    const [signal] = await started.until(1, 30_000);

    const stopping = Date.now();
    await queue.stop(1000);
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(900);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(signal?.aborted).toBe(true);

    const next = await start({ jobTimeoutSeconds: 30 });
    const again = new Inbox<number>();
    await next.work(async (job) => again.push(job.retryCount), { concurrency: 1 });
    // Generous: under CI load a second PGlite instance may take a while to start.
    expect(await again.until(1, 30_000)).toEqual([1]);
  }, 90_000);

  it('runs a cron schedule', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const queue = await start();
    const ticks = new Inbox<number>();
    // The last whole minute is always inside pg-boss's 60 s due window, so the next cron pass fires it.
    await queue.every('test.tick', '* * * * *', async () => ticks.push(Date.now()));
    await ticks.until(1, 30_000);
  }, 60_000);

  it.runIf(kind === 'postgresql')('shares the queue between instances: each job runs exactly once, each cron tick once', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const [a, b] = [await start(), await start()];
    const handled = new Inbox<{ by: string; notificationId: number }>();
    const ticks = new Inbox<number>();
    for (const queue of [a, b]) {
      await queue.every('test.tick', '* * * * *', async () => ticks.push(Date.now()));
    }
    // One statement; a key repeated within it is created once.
    const jobs = Array.from({ length: 200 }, (_, i) => ({ notificationId: i, key: `bulk-${i}`, startAfter: new Date() }));
    expect(await a.enqueue([...jobs, jobs[0]!])).toBe(200);
    for (const [name, queue] of [['a', a], ['b', b]] as const) {
      await queue.work(async (job) => handled.push({ by: name, notificationId: job.notificationId }), { concurrency: 10 });
    }
    await handled.until(200, 30_000);
    await ticks.until(1, 30_000);
    await sleep(1_000); // a duplicate would show up here
    expect(handled.items).toHaveLength(200);
    expect(new Set(handled.items.map((h) => h.notificationId)).size).toBe(200);
    expect(handled.items.some((h) => h.by === 'a') && handled.items.some((h) => h.by === 'b')).toBe(true);
    // One run per minute slot, however many instances schedule it.
    const minutes = ticks.items.map((at) => Math.floor(at / 60_000));
    expect(new Set(minutes).size).toBe(minutes.length);
  }, 90_000);

  it.runIf(kind === 'pglite')('refuses a second worker on the same PGlite dir', async ({ onTestFinished }) => {
    const { start } = await useCase(backend, onTestFinished);
    const first = await start();
    await expect(start()).rejects.toThrow(new RegExp(`in use by worker process ${process.pid}`));
    await first.stop(1000);
    const second = await start(); // released by stop
    expect(second.isHealthy()).toBe(true);
  }, 60_000);
});

describe('queue setup', () => {
  it('names the unreachable queue database without its password', async () => {
    const attempt = openQueue({ ...defaults, target: { kind: 'postgresql', url: 'postgresql://app:s3cret@127.0.0.1:1/queue' } });
    const error = await attempt.then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/^Could not open the PostgreSQL queue postgresql:\/\/app@127\.0\.0\.1:1\/queue: .*ECONNREFUSED/);
    expect(error.message).not.toContain('s3cret');
  });

  it.each([
    [{ DATA_DIR: '/data' }, { kind: 'pglite', dir: '/data/queue' }],
    [{ DATA_DIR: '/data', DATABASE_URL: 'sqlite:///app.db' }, { kind: 'pglite', dir: '/data/queue' }],
    [{ DATA_DIR: '/data', DATABASE_URL: 'postgres://u@db/app' }, { kind: 'postgresql', url: 'postgresql://u@db/app' }],
    [{ DATA_DIR: '/data', DATABASE_URL: 'postgresql+psycopg://u@db/app' }, { kind: 'postgresql', url: 'postgresql://u@db/app' }],
    [{ DATA_DIR: '/data', DATABASE_URL: 'sqlite:///app.db', QUEUE_DATABASE_URL: 'postgresql://q@db/queue' }, { kind: 'postgresql', url: 'postgresql://q@db/queue' }],
  ])('queueTarget(%o)', (env, expected) => {
    expect(queueTarget(env)).toEqual(expected);
  });
});

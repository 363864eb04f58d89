import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '@appointments/testkit/processes';
import { isAppointmentEmail, staffAndClient, startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Appointment emails (the client's verification link is not one), in arrival order. */
const appointmentEmails = (sys: TestSystem<RunningWorker>) => sys.sink.messages.filter(isAppointmentEmail);

/** Emails per notification id: delivered once each, or how many times. */
function deliveries(sys: TestSystem<RunningWorker>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of appointmentEmails(sys)) {
    const id = String(mail.headers.get('x-notification-id'));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe.each(['sqlite', 'postgresql'] as Engine[])('a worker killed mid-batch on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
  }, 60_000);
  afterAll(() => sys?.close());

  it('is restarted, resumes within 15 s at its pre-kill pace and delivers everything; duplicates only from sends in flight at the kill', async () => {
    const { bookMany } = await staffAndClient(sys);
    const concurrency = 4;
    // The production job timeout and retry delay: recovery must not rest on test-short ones.
    const env = sys.workerEnvVars({ LOG_LEVEL: 'info', NOTIFY_CONCURRENCY: String(concurrency), NOTIFY_JOB_TIMEOUT_SECONDS: '600', NOTIFY_RETRY_DELAY_SECONDS: '30' });
    // A slow SMTP server: at any moment some sends are in flight.
    sys.sink.delay(150);
    // Booked before the worker starts, so the pace measured below is the worker's, not the bookings'.
    await bookMany(20);
    const first = spawnWorker(env);
    await sys.sink.waitFor(1, 60_000, isAppointmentEmail);
    const firstEmailAt = Date.now();
    // Killed early: every email left is in a batch the dead worker had claimed.
    await sys.sink.waitFor(12, 30_000, isAppointmentEmail);
    const msPerEmail = (Date.now() - firstEmailAt) / 11;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const beforeRestart = appointmentEmails(sys).length;
    expect(beforeRestart).toBeLessThan(40);

    const restartedAt = Date.now();
    const second = spawnWorker(env);
    // Sends in flight at the kill may still land: one beyond them is the new worker's.
    await sys.sink.waitFor(beforeRestart + concurrency + 1, 60_000, isAppointmentEmail);
    const resumedAt = Date.now();
    const remaining = 40 - deliveries(sys).size;
    await until('all 40 confirmations', () => deliveries(sys).size === 40, 150_000);
    const drainMs = Date.now() - resumedAt;
    const counts = deliveries(sys);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    console.info(
      `[crash on ${engine}] ${Math.round(msPerEmail)} ms per email before the kill after ${beforeRestart} emails; first email ${resumedAt - restartedAt} ms after the restart; ` +
        `the other ${remaining} in ${drainMs} ms; ${duplicates} duplicate(s)`,
    );
    expect(resumedAt - restartedAt).toBeLessThan(15_000);
    // The pace of before the kill, with room for a noisy machine and a cold process (a retry delay
    // spreads them over half a minute).
    expect(drainMs).toBeLessThan(Math.max(10_000, 5 * remaining * msPerEmail));
    // Only an email whose SMTP transaction was under way when the process died can go out twice.
    expect(duplicates).toBeLessThanOrEqual(concurrency);
    // The sink has a message a moment before the worker commits `sent`: wait for the records too.
    const sent = () => sys.call<{ total: number }>(sys.adminToken, 'GET', '/api/v1/admin/notifications?status=sent&limit=1').then((page) => page.total);
    await until('all 40 recorded as sent', async () => (await sent()) === 40, 30_000);
    expect(await sent()).toBe(40);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.lines.some((line) => line.msg === 'worker stopping')).toBe(true);
    sys.sink.delay(0);
  }, 240_000);
});

describe('two workers on one PostgreSQL database', () => {
  let sys: TestSystem<RunningWorker>;
  let bookMany: (count: number) => Promise<void>;
  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, 'postgresql');
    ({ bookMany } = await staffAndClient(sys));
  }, 60_000);
  afterAll(() => sys?.close());

  it('never send one notification twice', async () => {
    // A job timeout well above the slowest send below: only the heartbeat decides who owns a job.
    await sys.startWorker({ NOTIFY_JOB_TIMEOUT_SECONDS: '120' });
    await sys.startWorker({ NOTIFY_JOB_TIMEOUT_SECONDS: '120' });
    await bookMany(40);
    await until('all 80 confirmations', () => deliveries(sys).size === 80, 60_000);
    await sleep(1_000); // time for a stray second delivery to show up
    expect(appointmentEmails(sys)).toHaveLength(80);
    expect([...deliveries(sys).values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('a send slower than the heartbeat interval stays with its worker (no second copy)', async () => {
    const before = appointmentEmails(sys).length;
    // Slower than pg-boss's 10 s heartbeat: only a live worker's refreshes keep the job its own.
    sys.sink.delay(11_000);
    const booked = Date.now();
    await bookMany(1);
    await until('both confirmations', () => appointmentEmails(sys).length >= before + 2, 60_000);
    // A stolen job would be taken once its heartbeat lapsed (≤ 12 s) and sent 11 s later.
    await sleep(Math.max(0, booked + 28_000 - Date.now()));
    sys.sink.delay(0);
    expect(appointmentEmails(sys).length - before).toBe(2);
    expect([...deliveries(sys).values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});

describe('the worker under a supervisor', () => {
  it('exits 1 with one clear line on bad configuration', async () => {
    const worker = spawnWorker({ MAIL_PORT: '0', DATA_DIR: '/tmp/unused-worker-dir' });
    expect(await worker.exited).toBe(1);
    expect(worker.lines.map((l) => l.msg).join('\n')).toMatch(/MAIL_PORT/);
  });

  it('exits 1 with one fatal line when the database is unreachable', async () => {
    const worker = spawnWorker({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere', LOG_LEVEL: 'info', WORKER_PORT: '0' });
    expect(await worker.exited).toBe(1);
    const fatal = worker.lines.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/^Could not use the PostgreSQL database/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMemory, spawnWorker } from '@appointments/testkit/processes';
import { isAppointmentEmail, staffAndClient, startTestSystem, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

/**
 * The worker process alone, on the embedded (PGlite) queue of the default setup; the API comes on
 * top (`pnpm bench:memory` measures both). Budgets well above what the worker takes, well below
 * what it took untuned, so a change that brings the cost back fails here.
 */
const BUDGET_MB = { resident: 400, peak: 450 } as const;

describe.runIf(process.platform === 'linux')('the embedded worker’s memory', () => {
  let sys: TestSystem<RunningWorker>;
  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, 'sqlite');
  }, 60_000);
  afterAll(() => sys?.close());

  it('stays within its budget when it creates the queue, and when it sends on an existing one', async () => {
    const { bookMany } = await staffAndClient(sys);
    const env = sys.workerEnvVars({ LOG_LEVEL: 'info' });

    const first = spawnWorker(env);
    await first.waitForLog(/^worker started/, 120_000);
    await bookMany(10);
    await sys.sink.waitFor(20, 60_000, isAppointmentEmail);
    const created = processMemory(first.child.pid!);
    expect(await first.stop()).toBe(0);

    const second = spawnWorker(env);
    await second.waitForLog(/^worker started/, 60_000);
    await bookMany(10);
    await sys.sink.waitFor(40, 60_000, isAppointmentEmail);
    const reopened = processMemory(second.child.pid!);
    expect(await second.stop()).toBe(0);

    const mb = (n: number) => `${Math.round(n)} MB`;
    console.info(
      `[worker memory] creating the queue: peak ${mb(created.peakMb)}, then ${mb(created.rssMb)}; on the existing queue: peak ${mb(reopened.peakMb)}, then ${mb(reopened.rssMb)}`,
    );
    for (const run of [created, reopened]) {
      expect(run.rssMb).toBeLessThan(BUDGET_MB.resident);
      expect(run.peakMb).toBeLessThan(BUDGET_MB.peak);
    }
  }, 240_000);
});

// A worker that takes a job and hangs in its handler, for boss.test.ts to SIGKILL mid-job.
// Usage: node kill-fixture.ts '<QueueTarget JSON>' <jobTimeoutSeconds>
import { pino } from 'pino';
import { openQueue, type QueueTarget } from './boss.ts';

const [targetJson = '', timeout = '2'] = process.argv.slice(2);
const queue = await openQueue({
  target: JSON.parse(targetJson) as QueueTarget,
  retryLimit: 2,
  retryDelaySeconds: 1,
  jobTimeoutSeconds: Number(timeout),
  logger: pino({ level: 'warn' }, pino.destination(2)),
});
await queue.work(
  (job) => {
    process.stdout.write(`${JSON.stringify({ started: job.notificationId, retryCount: job.retryCount })}\n`);
    return new Promise<void>(() => undefined);
  },
  { concurrency: 1 },
);
process.stdout.write('ready\n');

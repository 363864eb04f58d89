/**
 * A lean SMTP sink for load: accepts every message and counts deliveries per X-Notification-Id,
 * without parsing MIME (the test sink's full parse would cost this process more than the workers).
 */
import { SMTPServer } from 'smtp-server';
import { ignoreDroppedClient } from '@appointments/testkit/smtp';
import { createWaiters } from '@appointments/testkit/waiters';

export interface CountingSink {
  readonly port: number;
  /** Deliveries per X-Notification-Id. */
  readonly deliveries: Map<number, number>;
  /** Messages that arrived, duplicates included. */
  total(): number;
  /** ms timestamps (performance.now()) of the first and the latest message. */
  readonly first: { at: number | undefined };
  readonly last: { at: number | undefined };
  /** Resolves once `count` distinct ids have arrived; rejects after `timeoutMs`. */
  waitForDistinct(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const HEADER = /^X-Notification-Id:\s*(\d+)\s*$/im;

export async function startCountingSink(): Promise<CountingSink> {
  const deliveries = new Map<number, number>();
  let total = 0;
  const first: { at: number | undefined } = { at: undefined };
  const last: { at: number | undefined } = { at: undefined };
  const waiters = createWaiters();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    closeTimeout: 100,
    maxClients: 1000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        const headerEnd = raw.indexOf('\r\n\r\n');
        const id = Number(HEADER.exec(headerEnd < 0 ? raw : raw.slice(0, headerEnd))?.[1] ?? Number.NaN);
        if (Number.isInteger(id)) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
        total++;
        const now = performance.now();
        first.at ??= now;
        last.at = now;
        waiters.wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', ignoreDroppedClient);
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('sink is not on TCP');
  return {
    port: address.port,
    deliveries,
    total: () => total,
    first,
    last,
    async waitForDistinct(count, timeoutMs) {
      await waiters.until(
        () => (deliveries.size >= count ? true : undefined),
        timeoutMs,
        () => `sink: ${deliveries.size} of ${count} notifications after ${timeoutMs} ms`,
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A real webhook receiver in the test process: POSTs arrive over TCP exactly as an endpoint would
 * see them, so tests verify the bytes and headers the worker actually sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { createWaiters } from '../waiters.ts';

export interface ReceivedWebhook {
  /** The request's path: tests give each endpoint its own. */
  readonly path: string;
  /** Lower-cased names, as Standard Webhooks libraries read them. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as received, byte for byte (UTF-8). */
  readonly body: string;
  /** When it had arrived whole (ms since the epoch). */
  readonly at: number;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly body?: string;
}

/** How a request is answered; a promise that never settles holds it open (until `close`). */
export type Respond = (request: ReceivedWebhook) => WebhookAnswer | Promise<WebhookAnswer>;

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`: append an endpoint's path. */
  readonly url: string;
  /** Every request so far, in arrival order (recorded before it is answered). */
  readonly requests: ReceivedWebhook[];
  /** The most requests open at once so far. */
  readonly maxOpen: number;
  /** How requests are answered from now on; by default 204. */
  answerWith(respond: Respond): void;
  /** Resolves with the requests to `path` once `count` have arrived; rejects after `timeoutMs`. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** Those of `requests` sent to `path`. */
  to(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const flatHeaders = (request: IncomingMessage) => Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const waiters = createWaiters();
  let respond: Respond = () => ({ status: 204 });
  let open = 0;
  let maxOpen = 0;

  const server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => (open -= 1));
    read(req)
      .then(async (body) => {
        const received = { path: req.url ?? '', headers: flatHeaders(req), body, at: Date.now() };
        requests.push(received);
        waiters.wake();
        const answer = await respond(received);
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      })
      // The sender gave up (its process was killed): nothing to answer.
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('webhook receiver is not listening on TCP.');
  const to = (path: string) => requests.filter((r) => r.path === path);

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    get maxOpen() {
      return maxOpen;
    },
    answerWith(answer) {
      respond = answer;
    },
    to,
    waitFor(path, count, timeoutMs = 10_000) {
      return waiters.until(
        () => (to(path).length >= count ? to(path) : undefined),
        timeoutMs,
        () => `webhook receiver: ${to(path).length} of ${count} requests to ${path} after ${timeoutMs} ms`,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

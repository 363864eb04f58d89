import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, type WebhookPost } from './post.ts';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  /** Connections accepted, whether or not a request came through them. */
  connections: number;
}

const open: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  await Promise.all(
    open.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A real HTTP server on 127.0.0.1 that records each request and answers it with `answer`. */
async function receiver(answer: (response: ServerResponse) => void): Promise<Receiver> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  server.on('connection', () => (state.connections += 1));
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: Receiver = { url: `http://127.0.0.1:${port}`, port, received: [], connections: 0 };
  return state;
}

const post = (url: string, overrides: Partial<WebhookPost> = {}) =>
  postWebhook({ url, headers: { 'webhook-id': 'msg_1' }, body: '{"type":"appointment.booked","name":"Zoë"}', timeoutMs: 5000, allowPrivate: true, ...overrides });

describe('postWebhook', () => {
  it('POSTs the JSON body with its headers and reads a 2xx answer', async () => {
    const target = await receiver((response) => response.writeHead(202).end('accepted ✓'));
    expect(await post(`${target.url}/hooks/in?tenant=1`)).toEqual({ kind: 'response', status: 202, body: 'accepted ✓' });
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/in?tenant=1', body: '{"type":"appointment.booked","name":"Zoë"}' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"type":"appointment.booked","name":"Zoë"}')),
      'user-agent': 'appointments-webhooks/1',
      'webhook-id': 'msg_1',
    });
  });

  it.each([500, 410, 404])('reports a %i as the answer it is', async (status) => {
    const target = await receiver((response) => response.writeHead(status).end(`status ${status}`));
    expect(await post(target.url)).toEqual({ kind: 'response', status, body: `status ${status}` });
  });

  it('does not follow a redirect: the 3xx is the answer, and its target hears nothing', async () => {
    const elsewhere = await receiver((response) => response.writeHead(200).end());
    const redirecting = await receiver((response) => response.writeHead(307, { location: `${elsewhere.url}/stolen` }).end('moved'));
    expect(await post(redirecting.url)).toEqual({ kind: 'response', status: 307, body: 'moved' });
    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it('gives up on a receiver that never answers once the budget is spent', async () => {
    const silent = await receiver(() => undefined);
    const started = performance.now();
    expect(await post(silent.url, { timeoutMs: 300 })).toEqual({ kind: 'error', error: 'timed out after 300 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(silent.received).toHaveLength(1);
  });

  it('counts reading the answer in the budget', async () => {
    const stalling = await receiver((response) => {
      response.writeHead(200);
      response.write('partial');
    });
    expect(await post(stalling.url, { timeoutMs: 300 })).toEqual({ kind: 'error', error: 'timed out after 300 ms' });
  });

  it('reads at most maxResponseBytes of a 1 MB answer', async () => {
    const large = await receiver((response) => response.writeHead(200).end('x'.repeat(1024 * 1024)));
    expect(await post(large.url)).toEqual({ kind: 'response', status: 200, body: 'x'.repeat(1024) });
    expect(await post(large.url, { maxResponseBytes: 10 })).toEqual({ kind: 'response', status: 200, body: 'x'.repeat(10) });
  });

  it('stops receiving an endless answer once it has enough', async () => {
    let closed: () => void = () => undefined;
    const closedByClient = new Promise<void>((resolve) => (closed = resolve));
    const endless = await receiver((response) => {
      const chunk = 'y'.repeat(64 * 1024);
      const pour = () => {
        while (!response.destroyed && response.write(chunk));
      };
      response.on('drain', pour).on('close', closed);
      response.writeHead(200);
      pour();
    });
    expect(await post(endless.url, { timeoutMs: 2000 })).toEqual({ kind: 'response', status: 200, body: 'y'.repeat(1024) });
    await closedByClient;
  });

  it('reports a refused connection', async () => {
    const gone = await receiver(() => undefined);
    const server = open.pop();
    await new Promise((resolve) => server?.close(resolve));
    expect(await post(gone.url)).toEqual({ kind: 'error', error: 'connection refused' });
  });

  it('reports a TLS failure', async () => {
    const plain = await receiver((response) => response.writeHead(200).end());
    expect(await post(`https://127.0.0.1:${plain.port}/`)).toEqual({ kind: 'error', error: 'TLS error: wrong version number' });
    expect(plain.received).toHaveLength(0);
  });

  it('reports a URL it cannot POST to', async () => {
    expect(await post('ftp://127.0.0.1/')).toEqual({ kind: 'error', error: 'not an http(s) URL' });
    expect(await post('not a url')).toEqual({ kind: 'error', error: 'not an http(s) URL' });
  });

  describe('without allowPrivate', () => {
    it('refuses a private address literal without connecting', async () => {
      const local = await receiver((response) => response.writeHead(200).end());
      expect(await post(local.url, { allowPrivate: false })).toEqual({ kind: 'error', error: 'refused: 127.0.0.1 is a private, local or reserved address' });
      expect(local.connections).toBe(0);
    });

    it('refuses a name at connect time when it resolves to a private address', async () => {
      const local = await receiver((response) => response.writeHead(200).end());
      expect(await post(`http://localhost:${local.port}/`, { allowPrivate: false })).toEqual({
        kind: 'error',
        error: 'refused: localhost resolves to a private, local or reserved address',
      });
      expect(local.connections).toBe(0);
      // The same name is reached when private addresses are allowed: the refusal was the lookup's;
      // and the connection that reached it is not reused to skip the check next time.
      expect(await post(`http://localhost:${local.port}/`, { allowPrivate: true })).toEqual({ kind: 'response', status: 200, body: '' });
      expect(await post(`http://localhost:${local.port}/`, { allowPrivate: false })).toMatchObject({ kind: 'error' });
      expect(local.received).toHaveLength(1);
    });
  });
});

import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  /** The local port clients connect to instead of the upstream's. */
  readonly port: number;
  /**
   * Resets every open connection; until `restore()`, new ones are reset at once or, with
   * `silent`, accepted and never answered (a host that vanished: only timeouts end the wait).
   */
  cut(mode?: { silent: boolean }): void;
  /** Lets new connections through again (broken ones stay broken, as after a real outage). */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP forwarder in the test's own process, so a test can take a shared server (PostgreSQL) away
 * from one API without touching the server itself. While cut, the listener stays bound (no race
 * for the port on restore) and answers every connect with a reset (the client sees ECONNRESET, as
 * if the server had crashed) or, silently, with nothing at all.
 */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  /** Accepted while silently cut: never forwarded. */
  const held = new Set<Socket>();
  let state: 'open' | 'reset' | 'silent' = 'open';

  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (state === 'reset') return void client.resetAndDestroy();
    if (state === 'silent') {
      held.add(client);
      return void client.once('close', () => held.delete(client));
    }
    const remote = createConnection(upstream);
    for (const socket of [client, remote]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      // A reset on one side ends the other; the error itself is the point of the exercise.
      socket.on('error', () => undefined);
    }
    client.once('close', () => remote.destroy());
    remote.once('close', () => client.destroy());
    client.pipe(remote);
    remote.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    cut(mode = { silent: false }) {
      state = mode.silent ? 'silent' : 'reset';
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      state = 'open';
      // Silent connections were never forwarded: end them, or their clients wait for ever.
      for (const socket of held) socket.resetAndDestroy();
    },
    async close() {
      for (const socket of [...open, ...held]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

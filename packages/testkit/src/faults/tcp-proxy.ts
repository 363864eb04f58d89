import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  /** The local port clients connect to instead of the upstream's. */
  readonly port: number;
  /**
   * Resets every open connection; until `restore()`, new ones are reset at once or, with
   * `silent`, accepted and never answered (a host that vanished: only timeouts end the wait).
   */
  cut(mode?: { silent: boolean }): void;
  /**
   * Stops forwarding either way on every connection, open or new, while keeping all of them open:
   * a server or network that hangs without closing anything (no reset, no FIN to notice).
   */
  freeze(): void;
  /** Lets new connections through again; after a cut broken ones stay broken, after a freeze everything flows on. */
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
  /** Forwarding pairs, each direction piped unless frozen. */
  const pairs = new Set<readonly [Socket, Socket]>();
  /** Sockets whose peer closed while frozen: the close reaches them on restore, as it would through a hung network. */
  const orphans = new Set<Socket>();
  let state: 'open' | 'reset' | 'silent' | 'frozen' = 'open';

  const flow = ([client, remote]: readonly [Socket, Socket]) => {
    client.pipe(remote);
    remote.pipe(client);
  };
  // Unpiped and paused, bytes stay in the sockets' buffers (then the kernel's): nothing is lost, nothing arrives.
  const stall = ([client, remote]: readonly [Socket, Socket]) => {
    client.unpipe(remote);
    remote.unpipe(client);
    client.pause();
    remote.pause();
  };

  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (state === 'reset') return void client.resetAndDestroy();
    if (state === 'silent') {
      held.add(client);
      return void client.once('close', () => held.delete(client));
    }
    const remote = createConnection(upstream);
    const pair = [client, remote] as const;
    pairs.add(pair);
    for (const socket of pair) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      // A reset on one side ends the other; the error itself is the point of the exercise.
      socket.on('error', () => undefined);
    }
    for (const [socket, other] of [pair, [remote, client]] as const) {
      socket.once('close', () => {
        pairs.delete(pair);
        if (state === 'frozen') orphans.add(other);
        else other.destroy();
      });
    }
    if (state === 'frozen') stall(pair);
    else flow(pair);
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
    freeze() {
      state = 'frozen';
      for (const pair of pairs) stall(pair);
    },
    restore() {
      if (state === 'frozen') for (const pair of pairs) flow(pair);
      state = 'open';
      for (const socket of orphans) socket.destroy();
      orphans.clear();
      // Silent connections were never forwarded: end them, or their clients wait for ever.
      for (const socket of held) socket.resetAndDestroy();
    },
    async close() {
      for (const socket of [...open, ...held]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

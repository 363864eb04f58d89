import pg from 'pg';

/** How long a PostgreSQL query may go unanswered; 0 while nothing may be cut short (migrations). */
export interface QueryBound {
  ms: number;
}

/** A query that got no answer in time; its connection is closed. ETIMEDOUT: "unavailable" to `isDatabaseUnavailable`. */
export class QueryTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(ms: number) {
    super(`PostgreSQL did not answer within ${ms} ms; the connection was closed`);
    this.name = 'QueryTimeoutError';
  }
}

type Callback = (error: Error | null, result?: unknown) => void;
type Release = (error?: Error | boolean) => void;
const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * pg's Client, whose queries must be answered within `bound.ms` or lose their connection: a socket
 * that stays open but carries nothing (a hung server, proxy or network) is otherwise waited on for
 * as long as TCP keeps it, hours. pg's own `query_timeout` is not enough: it rejects the query but
 * leaves it on the connection, which Kysely (so MikroORM) hands back to the pool as healthy, and
 * every later query on it (a transaction's rollback first) waits behind the stuck one. Here the
 * query fails with QueryTimeoutError and the connection is ended at once (the socket destroyed,
 * not closed politely over the hung link): whatever else was on it fails and, ended on purpose,
 * it emits no 'error' that nobody may be listening for.
 *
 * A connection that ends while checked out (timed out here, or reset by the server) goes back to
 * its pool, which drops it, at once, and the holder's own release later does nothing: Kysely
 * releases a transaction's connection only once its BEGIN or ROLLBACK succeeded, which on a dead
 * connection they never do, so each connection lost mid-transaction would otherwise keep a pool
 * slot taken for good. Streams and cursors (which this project does not use) pass through unbounded.
 */
export function boundedClient(bound: Readonly<QueryBound>): typeof pg.Client {
  class BoundedClient extends pg.Client {
    /** Ended, by us or the server: nothing sent on it reaches the server any more. */
    #gone = false;
    /** The current checkout: pg-pool sets a release function for each one. */
    #checkout: { release: Release; released: boolean } | undefined;

    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.once('end', () => this.#ended());
    }

    set release(release: Release) {
      this.#checkout = { release, released: false };
    }

    get release(): Release {
      const checkout = this.#checkout;
      return (error) => {
        if (!checkout || (checkout.released && this.#gone)) return; // released for its holder when it ended
        checkout.released = true;
        checkout.release(error); // pg-pool's own, which refuses a second release of one checkout
      };
    }

    abandon(): void {
      void this.end();
      this.connection.stream.destroy();
      this.#ended();
    }

    #ended(): void {
      if (this.#gone) return;
      this.#gone = true;
      if (this.#checkout && !this.#checkout.released) this.release(new Error('connection ended'));
    }

    answer(sent: Promise<unknown>): Promise<unknown> {
      const ms = bound.ms;
      if (ms <= 0) return sent;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new QueryTimeoutError(ms));
          this.abandon();
        }, ms);
        sent.then(resolve, reject).finally(() => clearTimeout(timer));
      });
    }
  }
  BoundedClient.prototype.query = function (this: BoundedClient, ...args: unknown[]) {
    if (typeof (args[0] as { submit?: unknown } | null)?.submit === 'function') return query.apply(this, args);
    // The callback form (pg-pool's `pool.query`) is answered through the promise form.
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
    const answered = this.answer(query.apply(this, args) as Promise<unknown>);
    if (!callback) return answered;
    answered.then(
      (result) => callback(null, result),
      (error: Error) => callback(error),
    );
  } as typeof BoundedClient.prototype.query;
  return BoundedClient;
}

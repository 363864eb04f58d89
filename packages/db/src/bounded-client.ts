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

type AnyQuery = (this: pg.Client, ...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as AnyQuery;

/**
 * pg's Client, whose queries must be answered within `bound.ms` or lose their connection: a socket
 * that stays open but carries nothing (a hung server, proxy or network) is otherwise waited on for
 * as long as TCP keeps it, hours. pg's own `query_timeout` is not enough: it rejects the query but
 * leaves it on the connection, which Kysely (so MikroORM) hands back to the pool as healthy, and
 * every later query on it (a transaction's rollback first) waits behind the stuck one. Closing the
 * socket fails everything on it at once, and the pool drops a connection that is closed. Only
 * queries with a callback or a promise are bounded (not streams or cursors: this project uses none).
 */
export function boundedClient(bound: Readonly<QueryBound>): typeof pg.Client {
  class BoundedClient extends pg.Client {}
  const bounded: AnyQuery = function (...args) {
    const ms = bound.ms;
    if (ms <= 0) return query.apply(this, args);
    const timer = setTimeout(() => this.connection.stream.destroy(new QueryTimeoutError(ms)), ms);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        clearTimeout(timer);
        (callback as (...results: unknown[]) => void)(...results);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result instanceof Promise) result.then(() => clearTimeout(timer), () => clearTimeout(timer));
    else clearTimeout(timer);
    return result;
  };
  BoundedClient.prototype.query = bounded as typeof BoundedClient.prototype.query;
  return BoundedClient;
}

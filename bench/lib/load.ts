import autocannon from 'autocannon';

export interface LoadResult {
  /** Mean 2xx responses per second over the run. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Responses by status code, e.g. `{ 201: 640, 409: 2 }`. */
  readonly statuses: Record<string, number>;
}

/** One autocannon run from this process over loopback. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 10, pipelining: 1, ...options });
  const ok = result['2xx'];
  return {
    rps: ok / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0])),
  };
}

export const fmtRate = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
export const fmtMs = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

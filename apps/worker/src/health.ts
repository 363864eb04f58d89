import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';

export interface HealthReport {
  readonly healthy: boolean;
  readonly details: Record<string, unknown>;
}

/**
 * The worker's liveness endpoint for a supervisor or Kubernetes: `GET /healthz` is 200 while the
 * queue is up, the outbox relay (changes to notifications and webhook deliveries, notifications to
 * jobs) ran recently and the webhook sender claimed or recorded recently, 503 otherwise. It binds
 * `host:port` (port 0: any).
 */
export async function startHealthServer(host: string, port: number, logger: Logger, report: () => HealthReport): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'Only GET /healthz is served here' }));
      return;
    }
    const { healthy, details } = report();
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', ...details }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // Once listening, a socket error is logged; it must not take the worker down.
      server.on('error', (error) => logger.warn({ err: error }, 'health endpoint error'));
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}

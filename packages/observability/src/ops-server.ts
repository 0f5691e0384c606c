import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health';
import type { Registry } from './metrics';

/**
 * A tiny HTTP server for processes without an API (workers): `/healthz`, `/readyz`, `/metrics`.
 * Port 0 picks a free port, so several workers can run on one machine.
 */
export async function startOpsServer(options: {
  registry: Registry;
  health: Health;
  host: string;
  port: number;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (path === '/healthz')
      return send(200, 'application/json', JSON.stringify(options.health.liveness()));
    if (path === '/readyz') {
      void options.health.readiness().then((report) => {
        send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report));
      });
      return;
    }
    if (path === '/metrics') {
      void options.registry.metrics().then((text) => send(200, options.registry.contentType, text));
      return;
    }
    send(404, 'application/problem+json', JSON.stringify({ title: 'Not found', status: 404 }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

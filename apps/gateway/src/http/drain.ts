import type { Server } from 'node:http';
import type { Health, Logger } from '@shortlist/observability';
import type { GatewayApp } from '../app';

/**
 * Graceful stop: readiness fails (load balancers stop sending; with `readinessDelayMs` the
 * listener keeps serving that long so a polling balancer sees it), the listener closes (no new
 * connections), idle keep-alive connections close, event streams end cleanly (clients reconnect
 * elsewhere with Last-Event-ID), and in-flight requests and uploads get `graceMs` to finish
 * before the remaining connections are cut.
 */
export async function drainServer(
  server: Server,
  app: GatewayApp,
  health: Health,
  graceMs: number,
  logger?: Logger,
  readinessDelayMs = 0,
): Promise<void> {
  health.setDraining();
  if (readinessDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, readinessDelayMs));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await app.close();
  const timer = setTimeout(() => {
    logger?.warn('shutdown grace period over; closing remaining connections', { graceMs });
    server.closeAllConnections();
  }, graceMs);
  timer.unref();
  // Keep-alive connections that finish a request while draining close right after it.
  const idle = setInterval(() => server.closeIdleConnections(), 250);
  idle.unref();
  await closed;
  clearTimeout(timer);
  clearInterval(idle);
}

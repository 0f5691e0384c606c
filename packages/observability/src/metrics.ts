import type { IncomingMessage, ServerResponse } from 'node:http';
import client from 'prom-client';

export type Registry = client.Registry;

/** A registry with Node's default metrics, labelled with the app name. */
export function createRegistry(app: string): client.Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

type RoutedRequest = IncomingMessage & {
  route?: { path?: unknown };
  baseUrl?: string;
  params?: Record<string, unknown>;
};

/**
 * The mount path of a matched route as a pattern: `req.baseUrl` holds the real URL of a mount
 * like `/v1/jobs/:jobId/batches`, so parameter values are put back as `:name`. Anything else
 * id-like (digits or `_`) becomes `:param`: ids must never become label values (unbounded
 * cardinality, and /metrics is not tenant-scoped).
 */
function mountPattern(req: RoutedRequest): string {
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(req.params ?? {}))
    if (typeof value === 'string') byValue.set(encodeURIComponent(value), name);
  return (req.baseUrl ?? '')
    .split('/')
    .map((segment) => {
      const name = byValue.get(segment);
      if (name) return `:${name}`;
      return /[\d_%]/.test(segment) ? ':param' : segment;
    })
    .join('/');
}

/**
 * Connect-style middleware recording `shortlist_http_request_duration_seconds`,
 * `shortlist_http_requests_total` and `shortlist_http_requests_in_flight` (requests received
 * and not yet answered or aborted: open uploads and event streams count). The route label is the matched route pattern
 * (`/v1/jobs/:id`), never the raw URL, so label cardinality stays bounded.
 */
export function httpMetricsMiddleware(registry: client.Registry) {
  const duration = new client.Histogram({
    name: 'shortlist_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const total = new client.Counter({
    name: 'shortlist_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const inFlight = new client.Gauge({
    name: 'shortlist_http_requests_in_flight',
    help: 'HTTP requests being received or answered',
    registers: [registry],
  });
  return (req: RoutedRequest, res: ServerResponse, next: () => void) => {
    const end = duration.startTimer();
    inFlight.inc();
    // 'close' follows both a finished response and an aborted one, exactly once.
    res.once('close', () => inFlight.dec());
    res.once('finish', () => {
      const path =
        typeof req.route?.path === 'string' ? `${mountPattern(req)}${req.route.path}` : 'unmatched';
      const labels = { method: req.method ?? 'GET', route: path, status: String(res.statusCode) };
      end(labels);
      total.inc(labels);
    });
    next();
  };
}

export { client as prom };

import { createServer, type RequestListener, type Server } from 'node:http';

/** Socket time limits of the gateway's HTTP server (slow-loris clients are cut off by them). */
export interface ServerTimeouts {
  /** Time a client has to send all request headers (ms). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (ms); uploads must fit in it. */
  requestTimeoutMs: number;
  /** How often those limits are checked (ms). */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  checkIntervalMs: 5_000,
};

/** An HTTP server for the app with the time limits applied (not listening yet). */
export function createGatewayServer(
  app: RequestListener,
  timeouts: Partial<ServerTimeouts> = {},
): Server {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...timeouts };
  const server = createServer(
    {
      headersTimeout: t.headersTimeoutMs,
      requestTimeout: t.requestTimeoutMs,
      connectionsCheckingInterval: t.checkIntervalMs,
      // 16 KiB of headers at most (Node's default, stated so a flood is answered 431).
      maxHeaderSize: 16 * 1024,
    },
    app,
  );
  server.keepAliveTimeout = 65_000;
  return server;
}

import compression from 'compression';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { httpMetricsMiddleware } from '@shortlist/observability';
import { NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import { requireAuth } from './auth';
import { jobWideCacheEraser } from './cache-eraser';
import { ProgressHub, Producer, type Redis } from '@shortlist/queue';
import type { GatewayDeps, ResolvedDeps } from './deps';
import { errorHandler, notFound } from './http/errors';
import { AuthFailureLimiter } from './http/auth-failures';
import { jsonDepthLimit } from './http/json-depth';
import { createLimiters } from './http/rate-limit';
import { requestContext } from './http/request-context';
import { SseRegistry } from './http/sse';
import { docsRoutes } from './openapi/docs.routes';
import { adminRoutes } from './routes/admin.routes';
import { auditRoutes } from './routes/audit.routes';
import { batchesRoutes, jobBatchesRoutes } from './routes/batches.routes';
import { cacheRoutes } from './routes/cache.routes';
import { emailsRoutes } from './routes/emails.routes';
import { jobsRoutes } from './routes/jobs.routes';
import { accountRoutes } from './routes/account.routes';
import { jobResumesRoutes, resumesRoutes } from './routes/resumes.routes';
import { statsRoutes } from './routes/stats.routes';
import { unsubscribeRoutes } from './routes/unsubscribe.routes';
import { webApp } from './static';

/** The app plus what graceful shutdown needs to reach. */
export type GatewayApp = Express & {
  /** Open Server-Sent Events streams; `closeAll()` ends them cleanly. */
  sse: SseRegistry;
  /** Ends event streams and releases what the app opened itself (not the deps it was given). */
  close(): Promise<void>;
};

/**
 * Fills in the Redis defaults: the analysis queue's connection and prefix, a progress hub, an email
 * queue producer on the same connection.
 */
function resolveDeps(deps: GatewayDeps): { deps: ResolvedDeps; owned: (() => Promise<unknown>)[] } {
  const queue = deps.analysisQueue.queue;
  const redis = deps.redis ?? (queue.opts.connection as Redis);
  const redisPrefix = deps.redisPrefix ?? queue.opts.prefix ?? 'bull';
  const owned: (() => Promise<unknown>)[] = [];
  let progress = deps.progress;
  if (!progress) {
    const subscriber = redis.duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      lazyConnect: true,
    });
    subscriber.on('error', () => undefined);
    const hub = new ProgressHub({
      subscriber,
      reader: redis,
      prefix: redisPrefix,
      logger: deps.logger,
    });
    owned.push(async () => {
      await hub.close();
      subscriber.disconnect();
    });
    progress = hub;
  }
  const cacheEraser =
    deps.cacheEraser === undefined
      ? jobWideCacheEraser(
          deps.cache ?? {
            cache: new RedisCache({ redis, prefix: redisPrefix }),
            nearDuplicates: new NearDuplicateIndex({ redis, prefix: redisPrefix, ttlSeconds: 1 }),
          },
        )
      : deps.cacheEraser;
  const emailQueue =
    deps.emailQueue ??
    new Producer('email-delivery', {
      connection: queue.opts.connection as Redis,
      prefix: queue.opts.prefix ?? 'bull',
    });
  return { deps: { ...deps, redis, redisPrefix, progress, cacheEraser, emailQueue }, owned };
}

/** The HTTP app without `listen()`, so tests drive it with supertest. */
export function createApp(given: GatewayDeps): GatewayApp {
  const { deps, owned } = resolveDeps(given);
  const app = express() as GatewayApp;
  app.sse = new SseRegistry();
  app.close = async () => {
    await app.sse.closeAll();
    await Promise.all(owned.map((release) => release()));
  };
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(httpMetricsMiddleware(deps.registry));
  app.use(
    helmet({
      // The API serves JSON and files, the web app its own bundle: no inline scripts anywhere.
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"] },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  const compress = compression({
    // Event streams must reach the client as each event is written, never buffered.
    filter: (req, res) =>
      !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') &&
      compression.filter(req, res),
  });
  // Behind nginx (which compresses for the client and strips Accept-Encoding) no request asks for
  // compression: skipping the middleware there spares every request its response hooks.
  app.use((req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next()));
  const origins = new Set(deps.corsOrigins ?? []);
  app.use(
    cors({
      origin: (origin, done) => done(null, origin !== undefined && origins.has(origin)),
      allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'If-None-Match'],
      exposedHeaders: [
        'ETag',
        'Location',
        'Retry-After',
        'X-Request-Id',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'RateLimit-Policy',
      ],
      maxAge: 600,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json(deps.health.liveness());
  });
  app.get('/readyz', async (_req, res) => {
    const report = await deps.health.readiness();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.use(docsRoutes());

  const limiters = createLimiters({
    redis: deps.redis,
    prefix: deps.redisPrefix,
    config: deps.rateLimits,
    logger: deps.logger,
  });
  // Candidates' unsubscribe links: public (signed tokens), so mounted ahead of the API's auth.
  app.use('/v1/unsubscribe', limiters.perIp, unsubscribeRoutes(deps));
  const v1 = express.Router();
  v1.use((_req, res, next) => {
    // Tenant data: never cached by shared caches, always revalidated (ETag -> 304).
    res.setHeader('Cache-Control', 'private, no-cache');
    res.vary('Authorization');
    next();
  });
  v1.use(limiters.perIp);
  v1.use(express.json({ limit: deps.jsonLimits?.maxBytes ?? '5mb' }));
  v1.use(jsonDepthLimit(deps.jsonLimits?.maxDepth ?? 32));
  const failures =
    deps.authFailures === null
      ? null
      : new AuthFailureLimiter(deps.redis, deps.redisPrefix, deps.authFailures);
  v1.use(requireAuth(deps.store, { idTokens: deps.idTokens, logger: deps.logger, failures }));
  v1.use(limiters.perKey);
  v1.use('/jobs/:jobId/batches', jobBatchesRoutes(deps, limiters.quota));
  v1.use('/jobs/:jobId/resumes', jobResumesRoutes(deps));
  v1.use('/jobs', jobsRoutes(deps));
  v1.use('/batches', batchesRoutes(deps, app.sse));
  v1.use('/resumes', resumesRoutes(deps));
  v1.use(statsRoutes(deps));
  v1.use(accountRoutes(limiters));
  v1.use(auditRoutes(deps));
  v1.use(adminRoutes(deps));
  v1.use(emailsRoutes(deps));
  v1.use('/cache', cacheRoutes(deps));
  app.use('/v1', v1);

  const web = deps.webDir ? webApp(deps.webDir) : null;
  if (web) app.use(web);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

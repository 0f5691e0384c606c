import express, { type Express } from 'express';
import { httpMetricsMiddleware } from '@shortlist/observability';
import { requireApiKey } from './auth';
import type { GatewayDeps } from './deps';
import { errorHandler, notFound } from './http/errors';
import { requestContext } from './http/request-context';
import { batchesRoutes, jobBatchesRoutes } from './routes/batches.routes';
import { cacheRoutes } from './routes/cache.routes';
import { emailsRoutes } from './routes/emails.routes';
import { jobsRoutes } from './routes/jobs.routes';
import { jobResumesRoutes, resumesRoutes } from './routes/resumes.routes';
import { webApp } from './static';

/** The HTTP app without `listen()`, so tests drive it with supertest. */
export function createApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(httpMetricsMiddleware(deps.registry));

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

  const v1 = express.Router();
  v1.use(express.json({ limit: '5mb' }));
  v1.use(requireApiKey(deps.store));
  v1.use('/jobs/:jobId/batches', jobBatchesRoutes(deps));
  v1.use('/jobs/:jobId/resumes', jobResumesRoutes(deps));
  v1.use('/jobs', jobsRoutes(deps));
  v1.use('/batches', batchesRoutes(deps));
  v1.use('/resumes', resumesRoutes(deps));
  v1.use(emailsRoutes(deps));
  v1.use('/cache', cacheRoutes(deps));
  app.use('/v1', v1);

  const web = deps.webDir ? webApp(deps.webDir) : null;
  if (web) app.use(web);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

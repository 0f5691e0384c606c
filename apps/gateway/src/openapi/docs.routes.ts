import { Router } from 'express';
import { buildOpenApi } from './document';
import { renderDocsPage } from './docs-page';

/** `/openapi.json` and `/docs`: a self-contained HTML reference (no CDN, no script). */
export function docsRoutes(): Router {
  const router = Router();
  let document: Record<string, unknown> | null = null;
  let page: string | null = null;
  const doc = () => (document ??= buildOpenApi());
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(doc());
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.type('html').send((page ??= renderDocsPage(doc())));
  });
  return router;
}

import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** Where `pnpm --filter @shortlist/web build` writes the web app, relative to this file. */
export const DEFAULT_WEB_DIR = resolve(__dirname, '..', '..', 'web', 'dist');

const API_PREFIXES = ['/v1/', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

/**
 * Serves the built web app on the embedded setup (Nginx does this in production): hashed files
 * under /assets are cached for a year, index.html is revalidated on every load, and any other GET
 * that wants HTML and is not an API route gets index.html so client-side routes survive a reload.
 * Returns null when the folder holds no build, so the API runs without the UI.
 */
export function webApp(dir: string): Router | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const router = express.Router();
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  router.use(
    express.static(dir, {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  // Runtime settings of the web app (e.g. Firebase); an operator may drop a config.json next to
  // index.html, otherwise the app gets an empty one and offers API-key sign-in only.
  router.get('/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ firebase: null });
  });
  router.use(spaFallback(index));
  return router;
}

function spaFallback(index: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/v1' || API_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    if (extname(req.path) !== '' || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
}

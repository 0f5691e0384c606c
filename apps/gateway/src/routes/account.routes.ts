import { Router } from 'express';
import { principal } from '../auth';
import type { Limiters } from '../http/rate-limit';

/** `/v1/me` and `/v1/rate-limit`: who the caller is and what they may still do. */
export function accountRoutes(limiters: Limiters): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const { userId, role, keyId, via } = principal(res);
    res.json({ userId, role, keyId, via });
  });

  router.get('/rate-limit', async (req, res) => {
    // Counters move with every request: never answer 304 from an ETag here.
    res.setHeader('Cache-Control', 'no-store');
    res.json({ limits: await limiters.describe(req, principal(res)) });
  });

  return router;
}

import { Router } from 'express';
import { PageQuery } from '@shortlist/contracts';
import { principal } from '../auth';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { parse } from '../http/validate';

/** `GET /v1/audit`: the tenant's erasure records, newest first. */
export function auditRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const { userId } = principal(res);
    const q = parse(PageQuery, req.query, 'query');
    res.json(await deps.store.audit.list(userId, { cursor: q.cursor, limit: q.limit }));
  });
  return router;
}

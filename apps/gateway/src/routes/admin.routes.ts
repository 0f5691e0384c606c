import { Router } from 'express';
import { createApiKey, createUserWithKey, revokeApiKey, rotateApiKey } from '@shortlist/auth';
import { AppError, Role, type ApiKey } from '@shortlist/contracts';
import { z } from 'zod';
import { requireAdmin } from '../auth';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { parse } from '../http/validate';

export const CreateUserBody = z.object({
  name: z.string().trim().min(1).max(200),
  role: Role.default('member'),
  label: z.string().trim().max(200).default('default'),
});

export const CreateKeyBody = z.object({ label: z.string().trim().max(200).default('default') });

const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

/** Key records as shown to admins: never the hash. */
const publicKey = ({ hash: _hash, ...key }: ApiKey) => key;

/** Admin-only routes: users and their API keys, queue depths. Each route checks the role. */
export function adminRoutes(deps: GatewayDeps): Router {
  const router = Router();

  const userOf = async (userId: string) => {
    const user = await deps.store.users.get(userId);
    if (!user) throw new AppError('not_found', 'No such user.', { field: 'userId' });
    return user;
  };

  router.post('/admin/users', requireAdmin, async (req, res) => {
    const body = parse(CreateUserBody, req.body ?? {});
    const { user, apiKey } = await createUserWithKey(deps.store, body);
    res.status(201).location(`/v1/admin/users/${user.id}`).json({ user, apiKey });
  });

  router.get('/admin/users/:userId/keys', requireAdmin, async (req, res) => {
    await userOf(String(req.params.userId));
    const keys = await deps.store.apiKeys.list(String(req.params.userId));
    res.json({ items: keys.map(publicKey) });
  });

  router.post('/admin/users/:userId/keys', requireAdmin, async (req, res) => {
    await userOf(String(req.params.userId));
    const body = parse(CreateKeyBody, req.body ?? {});
    const apiKey = await createApiKey(deps.store, String(req.params.userId), body.label);
    const key = (await deps.store.apiKeys.list(String(req.params.userId))).at(-1)!;
    res.status(201).json({ apiKey, key: publicKey(key) });
  });

  router.post('/admin/users/:userId/keys/:keyId/rotate', requireAdmin, async (req, res) => {
    await userOf(String(req.params.userId));
    const rotated = await rotateApiKey(
      deps.store,
      String(req.params.userId),
      String(req.params.keyId),
    );
    res.json({
      apiKey: rotated.apiKey,
      key: publicKey(rotated.key),
      revoked: publicKey(rotated.revoked),
    });
  });

  router.delete('/admin/users/:userId/keys/:keyId', requireAdmin, async (req, res) => {
    await userOf(String(req.params.userId));
    await revokeApiKey(deps.store, String(req.params.userId), String(req.params.keyId));
    res.status(204).end();
  });

  router.get('/queues', requireAdmin, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const queues = [deps.analysisQueue.queue, ...(deps.emailQueue ? [deps.emailQueue.queue] : [])];
    const depths: Record<string, Record<string, number>> = {};
    for (const queue of queues) {
      if (deps.redis.status !== 'ready')
        throw new AppError('unavailable', 'The job queues are unavailable; try again shortly.');
      depths[queue.name] = await queue.getJobCounts(...JOB_STATES);
    }
    res.json(depths);
  });

  return router;
}

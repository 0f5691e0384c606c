import type { RequestHandler, Response } from 'express';
import { hashApiKey } from '@shortlist/auth';
import { AppError, type Role } from '@shortlist/contracts';
import type { Store } from '@shortlist/store';

export { hashApiKey, createUserWithKey, createApiKey } from '@shortlist/auth';

/** The authenticated caller. Every data access is scoped to `userId`. */
export interface Principal {
  userId: string;
  role: Role;
  keyId: string | null;
}

/** Requires `Authorization: Bearer <api key>` and puts the {@link Principal} on `res.locals`. */
export function requireApiKey(store: Store): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AppError('unauthorized', 'Send your API key as "Authorization: Bearer <key>".', {
        field: 'authorization',
      });
    }
    const key = await store.apiKeys.findActiveByHash(hashApiKey(match[1]!));
    const user = key ? await store.users.get(key.userId) : null;
    if (!key || !user) {
      throw new AppError('unauthorized', 'The API key is not valid or has been revoked.', {
        field: 'authorization',
      });
    }
    const principal: Principal = { userId: user.id, role: user.role, keyId: key.id };
    res.locals.principal = principal;
    res.locals.logger = res.locals.logger?.child({ userId: user.id });
    next();
  };
}

/** The caller of an authenticated route. */
export function principal(res: Response): Principal {
  const value = res.locals.principal as Principal | undefined;
  if (!value) throw new AppError('unauthorized', 'Authentication required.');
  return value;
}

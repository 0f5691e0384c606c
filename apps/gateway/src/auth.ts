import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { AppError, newId, type Role, type User } from '@shortlist/contracts';
import type { Store } from '@shortlist/store';

/** The authenticated caller. Every data access is scoped to `userId`. */
export interface Principal {
  userId: string;
  role: Role;
  keyId: string | null;
}

const KEY_PREFIX = 'sl_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a user with one API key. The key is returned once and only its hash is stored. */
export async function createUserWithKey(
  store: Store,
  input: { name: string; role: Role; label?: string },
  now = new Date(),
): Promise<{ user: User; apiKey: string }> {
  const user: User = {
    id: newId('usr'),
    name: input.name,
    role: input.role,
    firebaseUid: null,
    createdAt: now.toISOString(),
  };
  await store.users.create(user);
  const apiKey = await createApiKey(store, user.id, input.label ?? 'default', now);
  return { user, apiKey };
}

/** Issues a new API key for an existing user. */
export async function createApiKey(
  store: Store,
  userId: string,
  label: string,
  now = new Date(),
): Promise<string> {
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  await store.apiKeys.create({
    id: newId('key'),
    userId,
    prefix: key.slice(0, 10),
    hash: hashApiKey(key),
    label,
    createdAt: now.toISOString(),
    revokedAt: null,
  });
  return key;
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

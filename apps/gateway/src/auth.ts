import type { RequestHandler, Response } from 'express';
import { hashApiKey } from '@shortlist/auth';
import { AppError, newId, type Role, type User } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Store } from '@shortlist/store';
import type { AuthFailureLimiter } from './http/auth-failures';

export { hashApiKey, createUserWithKey, createApiKey } from '@shortlist/auth';

/** The authenticated caller. Every data access is scoped to `userId`. */
export interface Principal {
  userId: string;
  role: Role;
  /** The API key used, or null for a Firebase sign-in. */
  keyId: string | null;
  via: 'apikey' | 'firebase';
}

/** What the gateway needs from a verified Firebase ID token. */
export interface VerifiedIdToken {
  uid: string;
  name?: string | undefined;
  email?: string | undefined;
  /** From a custom claim (`admin: true` or `role: "admin"`). */
  admin: boolean;
}

/** Verifies an ID token or rejects; implemented with firebase-admin in `firebase-auth.ts`. */
export interface IdTokenVerifier {
  verify(token: string): Promise<VerifiedIdToken>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message, { field: 'authorization' });
}

/**
 * Requires `Authorization: Bearer <credential>` and puts the {@link Principal} on `res.locals`.
 * The credential is an API key, or with `idTokens` a Firebase ID token (a JWT): its user is
 * found by Firebase uid and created as a member on first sign-in.
 */
export function requireAuth(
  store: Store,
  options: {
    idTokens?: IdTokenVerifier | null | undefined;
    logger?: Logger;
    /** Counts rejected credentials per client address and locks out guessers. */
    failures?: AuthFailureLimiter | null;
  } = {},
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    await options.failures?.check(req);
    if (!match) {
      throw unauthorized(
        options.idTokens
          ? 'Send an API key or a Firebase ID token as "Authorization: Bearer <credential>".'
          : 'Send your API key as "Authorization: Bearer <key>".',
      );
    }
    const credential = match[1]!;
    let principal: Principal;
    if (options.idTokens && JWT_SHAPE.test(credential)) {
      let token: VerifiedIdToken;
      try {
        token = await options.idTokens.verify(credential);
      } catch (error) {
        (res.locals.logger ?? options.logger)?.info('id token rejected', {
          reason: error instanceof Error ? error.message : String(error),
        });
        await options.failures?.fail(req, res.locals.logger ?? options.logger, 'id token');
        throw unauthorized('The Firebase ID token is not valid or has expired; sign in again.');
      }
      const user = await userForFirebase(store, token);
      principal = {
        userId: user.id,
        role: token.admin ? 'admin' : user.role,
        keyId: null,
        via: 'firebase',
      };
    } else {
      const key = await store.apiKeys.findActiveByHash(hashApiKey(credential));
      const user = key ? await store.users.get(key.userId) : null;
      if (!key || !user) {
        await options.failures?.fail(req, res.locals.logger ?? options.logger, 'api key');
        throw unauthorized('The API key is not valid or has been revoked.');
      }
      principal = { userId: user.id, role: user.role, keyId: key.id, via: 'apikey' };
    }
    res.locals.principal = principal;
    res.locals.logger = res.locals.logger?.child({ userId: principal.userId });
    next();
  };
}

/** @deprecated kept for callers of the foundation name; use {@link requireAuth}. */
export const requireApiKey = (store: Store): RequestHandler => requireAuth(store);

async function userForFirebase(store: Store, token: VerifiedIdToken): Promise<User> {
  const existing = await store.users.findByFirebaseUid(token.uid);
  if (existing) return existing;
  const user: User = {
    id: newId('usr'),
    name: (token.name ?? token.email ?? 'Firebase user').slice(0, 200),
    role: 'member',
    firebaseUid: token.uid,
    createdAt: new Date().toISOString(),
  };
  try {
    return await store.users.create(user);
  } catch (error) {
    // Two first requests raced: the other one created the user.
    const raced = await store.users.findByFirebaseUid(token.uid);
    if (raced) return raced;
    throw error;
  }
}

/** Refuses callers who are not admins with 403. */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (principal(res).role !== 'admin')
    throw new AppError('forbidden', 'This endpoint is for administrators.');
  next();
};

/** The caller of an authenticated route. */
export function principal(res: Response): Principal {
  const value = res.locals.principal as Principal | undefined;
  if (!value) throw new AppError('unauthorized', 'Authentication required.');
  return value;
}

import { createHash, randomBytes } from 'node:crypto';
import { AppError, newId, type ApiKey, type Role, type User } from '@shortlist/contracts';
import type { Store } from '@shortlist/store';

/** Every key starts with this, so leaked keys are easy to recognise (secret scanners, logs). */
export const API_KEY_PREFIX = 'sl_';

/** The stored form of a key: its sha256, hex. Keys are random enough that no salt is needed. */
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

/** Issues a new API key for an existing user; the key is returned once, only its hash is stored. */
export async function createApiKey(
  store: Store,
  userId: string,
  label: string,
  now = new Date(),
): Promise<string> {
  return (await issueKey(store, userId, label, now)).apiKey;
}

async function issueKey(
  store: Store,
  userId: string,
  label: string,
  now: Date,
): Promise<{ apiKey: string; record: ApiKey }> {
  if (!(await store.users.get(userId)))
    throw new AppError('not_found', `No user ${userId}.`, { field: 'userId' });
  const apiKey = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const record = await store.apiKeys.create({
    id: newId('key'),
    userId,
    prefix: apiKey.slice(0, 10),
    hash: hashApiKey(apiKey),
    label,
    createdAt: now.toISOString(),
    revokedAt: null,
  });
  return { apiKey, record };
}

/** The active key record of a plain key, or null when it is unknown or revoked. */
export async function findKeyOwner(store: Store, apiKey: string): Promise<ApiKey | null> {
  return store.apiKeys.findActiveByHash(hashApiKey(apiKey));
}

async function activeKey(store: Store, userId: string, keyId: string): Promise<ApiKey> {
  const key = (await store.apiKeys.list(userId)).find((k) => k.id === keyId);
  if (!key)
    throw new AppError('not_found', `User ${userId} has no key ${keyId}.`, { field: 'keyId' });
  if (key.revokedAt)
    throw new AppError('conflict', `Key ${keyId} was already revoked at ${key.revokedAt}.`, {
      field: 'keyId',
    });
  return key;
}

/** Revokes one of a user's keys; requests made with it are refused from then on. */
export async function revokeApiKey(
  store: Store,
  userId: string,
  keyId: string,
  now = new Date(),
): Promise<ApiKey> {
  const key = await activeKey(store, userId, keyId);
  await store.apiKeys.revoke(userId, keyId, now.toISOString());
  return { ...key, revokedAt: now.toISOString() };
}

/**
 * Replaces a key: issues a new one with the same label, then revokes the old one. The new key is
 * created first so that a failure in between leaves the user with a working key.
 */
export async function rotateApiKey(
  store: Store,
  userId: string,
  keyId: string,
  now = new Date(),
): Promise<{ apiKey: string; key: ApiKey; revoked: ApiKey }> {
  const old = await activeKey(store, userId, keyId);
  const { apiKey, record } = await issueKey(store, userId, old.label, now);
  await store.apiKeys.revoke(userId, keyId, now.toISOString());
  return { apiKey, key: record, revoked: { ...old, revokedAt: now.toISOString() } };
}

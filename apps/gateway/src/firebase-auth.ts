import { getApps, initializeApp, type App, type AppOptions } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import type { IdTokenVerifier } from './auth';

/**
 * Verifies Firebase ID tokens with firebase-admin: signature against Google's published keys,
 * audience and issuer of `projectId`, expiry. With `FIREBASE_AUTH_EMULATOR_HOST` set,
 * firebase-admin accepts the Auth emulator's unsigned tokens instead. No service account is
 * needed to verify tokens, only the project id.
 */
export function firebaseIdTokens(
  projectId: string,
  options: Omit<AppOptions, 'projectId'> = {},
): IdTokenVerifier {
  const name = `shortlist-gateway-${projectId}`;
  const app: App =
    getApps().find((a) => a.name === name) ?? initializeApp({ ...options, projectId }, name);
  const auth = getAuth(app);
  return {
    async verify(token) {
      const decoded = await auth.verifyIdToken(token);
      return {
        uid: decoded.uid,
        name: typeof decoded.name === 'string' ? decoded.name : undefined,
        email: decoded.email,
        admin: decoded.admin === true || decoded.role === 'admin',
      };
    },
  };
}

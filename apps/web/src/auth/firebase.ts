import type { FirebaseWebConfig } from './web-config';

/**
 * Firebase Auth, loaded only on deployments that configure it (the SDK is a separate chunk, so the
 * API-key sign-in screen stays small).
 */
export interface FirebaseSession {
  email: string | null;
  getToken(): Promise<string>;
  signOut(): Promise<void>;
}

async function auth(config: FirebaseWebConfig) {
  const [{ initializeApp, getApps }, authModule] = await Promise.all([
    import('firebase/app'),
    import('firebase/auth'),
  ]);
  const app = getApps()[0] ?? initializeApp(config);
  return { instance: authModule.getAuth(app), authModule };
}

function toSession(
  user: { email: string | null; getIdToken(): Promise<string> },
  signOut: () => Promise<void>,
): FirebaseSession {
  return { email: user.email, getToken: () => user.getIdToken(), signOut };
}

/** Resolves the already signed-in user (Firebase keeps the session), or null. */
export async function currentFirebaseSession(
  config: FirebaseWebConfig,
): Promise<FirebaseSession | null> {
  const { instance, authModule } = await auth(config);
  await instance.authStateReady();
  const user = instance.currentUser;
  return user ? toSession(user, () => authModule.signOut(instance)) : null;
}

export async function signInWithGoogle(config: FirebaseWebConfig): Promise<FirebaseSession> {
  const { instance, authModule } = await auth(config);
  const { user } = await authModule.signInWithPopup(instance, new authModule.GoogleAuthProvider());
  return toSession(user, () => authModule.signOut(instance));
}

export async function signInWithPassword(
  config: FirebaseWebConfig,
  email: string,
  password: string,
): Promise<FirebaseSession> {
  const { instance, authModule } = await auth(config);
  const { user } = await authModule.signInWithEmailAndPassword(instance, email, password);
  return toSession(user, () => authModule.signOut(instance));
}

/** Firebase error codes in plain words. */
export function firebaseErrorMessage(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code.includes('invalid-credential') || code.includes('wrong-password'))
    return 'The email or password is not right.';
  if (code.includes('user-not-found')) return 'No account uses that email.';
  if (code.includes('popup-closed')) return 'The sign-in window was closed before finishing.';
  if (code.includes('too-many-requests')) return 'Too many attempts. Wait a minute and try again.';
  if (code.includes('network')) return 'Cannot reach the sign-in service. Check your connection.';
  return 'Sign-in did not work. Try again.';
}

/** Firebase web settings; present only on deployments that sign in through Firebase Auth. */
export interface FirebaseWebConfig {
  apiKey: string;
  authDomain: string;
  projectId: string;
  appId?: string;
}

export interface WebConfig {
  firebase: FirebaseWebConfig | null;
}

function fromBuildEnv(): FirebaseWebConfig | null {
  const env = import.meta.env;
  const apiKey = env.VITE_FIREBASE_API_KEY as string | undefined;
  const authDomain = env.VITE_FIREBASE_AUTH_DOMAIN as string | undefined;
  const projectId = env.VITE_FIREBASE_PROJECT_ID as string | undefined;
  if (!apiKey || !authDomain || !projectId) return null;
  const appId = env.VITE_FIREBASE_APP_ID as string | undefined;
  return { apiKey, authDomain, projectId, ...(appId ? { appId } : {}) };
}

function isFirebaseConfig(value: unknown): value is FirebaseWebConfig {
  const v = value as Partial<FirebaseWebConfig> | null;
  return (
    typeof v?.apiKey === 'string' &&
    typeof v.authDomain === 'string' &&
    typeof v.projectId === 'string'
  );
}

/**
 * Runtime settings: `/config.json` next to index.html (so one build serves many deployments), else
 * the `VITE_FIREBASE_*` variables the bundle was built with.
 */
export async function loadWebConfig(): Promise<WebConfig> {
  try {
    const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const body = (await response.json()) as { firebase?: unknown };
      if (isFirebaseConfig(body.firebase)) return { firebase: body.firebase };
    }
  } catch {
    /* no runtime config */
  }
  return { firebase: fromBuildEnv() };
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ShortlistApi } from './api/api';
import { BASELINE, loadCapabilities, type Capabilities } from './api/capabilities';
import type { FirebaseSession } from './auth/firebase';
import { clearApiKey, loadApiKey, saveApiKey } from './auth/session';
import { loadWebConfig, type WebConfig } from './auth/web-config';

export type Session =
  { kind: 'apiKey'; key: string } | { kind: 'firebase'; firebase: FirebaseSession };

interface AppContextValue {
  api: ShortlistApi;
  session: Session | null;
  capabilities: Capabilities;
  config: WebConfig;
  /** Why the user was signed out (shown on the sign-in screen). */
  signOutReason: string | null;
  signInWithKey(key: string, remember: boolean): void;
  signInWithFirebase(session: FirebaseSession): void;
  signOut(reason?: string): void;
  ready: boolean;
  /** False until the signed-in caller's capabilities are known. */
  capabilitiesReady: boolean;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const key = loadApiKey();
    return key ? { kind: 'apiKey', key } : null;
  });
  const [signOutReason, setSignOutReason] = useState<string | null>(null);
  const [capabilities, setCapabilities] = useState<Capabilities>(BASELINE);
  const [capabilitiesFor, setCapabilitiesFor] = useState<Session | null>(null);
  const [config, setConfig] = useState<WebConfig>({ firebase: null });
  const [ready, setReady] = useState(false);

  const signOut = useCallback((reason?: string) => {
    clearApiKey();
    setSession((current) => {
      if (current?.kind === 'firebase') void current.firebase.signOut();
      return null;
    });
    setSignOutReason(reason ?? null);
  }, []);

  const api = useMemo(
    () =>
      new ShortlistApi({
        getToken: () =>
          session?.kind === 'apiKey'
            ? session.key
            : session?.kind === 'firebase'
              ? session.firebase.getToken()
              : null,
        onUnauthorized: () => signOut('Your session ended. Sign in again to continue.'),
      }),
    [session, signOut],
  );

  // What the server offers depends on who asks (and some probes need a signed-in caller).
  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    void loadCapabilities((path) =>
      api.http.fetch(path).then(
        (r) => r.ok,
        () => false,
      ),
    ).then((caps) => {
      if (cancelled) return;
      setCapabilities(caps);
      setCapabilitiesFor(session);
    });
    return () => {
      cancelled = true;
    };
  }, [api, session]);

  useEffect(() => {
    let cancelled = false;
    void loadWebConfig().then(async (web) => {
      if (cancelled) return;
      setConfig(web);
      if (!loadApiKey() && web.firebase) {
        const { currentFirebaseSession } = await import('./auth/firebase');
        const existing = await currentFirebaseSession(web.firebase).catch(() => null);
        if (existing && !cancelled) setSession({ kind: 'firebase', firebase: existing });
      }
      if (!cancelled) setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const value = useMemo<AppContextValue>(
    () => ({
      api,
      session,
      capabilities,
      config,
      signOutReason,
      ready,
      capabilitiesReady: session !== null && capabilitiesFor === session,
      signOut,
      signInWithKey(key, remember) {
        saveApiKey(key, remember);
        setSignOutReason(null);
        setSession({ kind: 'apiKey', key });
      },
      signInWithFirebase(firebase) {
        setSignOutReason(null);
        setSession({ kind: 'firebase', firebase });
      },
    }),
    [api, session, capabilities, capabilitiesFor, config, signOutReason, ready, signOut],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

import { useId, useState, type FormEvent } from 'react';
import { ShortlistApi } from '../api/api';
import { useApp } from '../app-context';
import { InlineError } from '../ui/states';
import type * as Firebase from './firebase';

type FirebaseModule = typeof Firebase;

/** API-key sign-in (embedded setup), plus Firebase when the deployment configures it. */
export function SignInPage() {
  const { signInWithKey, signInWithFirebase, signOutReason, config } = useApp();
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keyHint = useId();

  async function submitKey(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Paste your API key. `npm start` prints it (it starts with sl_).');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Checks the key before keeping it, so a typo is caught here and not on the next page.
      await new ShortlistApi({ getToken: () => trimmed }).listJobs();
      signInWithKey(trimmed, remember);
    } catch (caught) {
      setError(
        (caught as { status?: number }).status === 401
          ? 'That key was not accepted. Check that you copied all of it.'
          : (caught as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>{' '}
          Sign in to Shortlist
        </h1>
        {signOutReason && (
          <p className="notice" role="status">
            {signOutReason}
          </p>
        )}
        <form onSubmit={submitKey} noValidate>
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            value={key}
            aria-describedby={keyHint}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setKey(e.target.value)}
          />
          <p id={keyHint} className="hint">
            The key <code>npm start</code> printed, or one an admin created for you.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            Keep me signed in on this device
          </label>
          <InlineError error={error} />
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
        {config.firebase && (
          <FirebaseSignIn config={config.firebase} onSignedIn={signInWithFirebase} />
        )}
      </div>
    </main>
  );
}

function FirebaseSignIn({
  config,
  onSignedIn,
}: {
  config: NonNullable<ReturnType<typeof useApp>['config']['firebase']>;
  onSignedIn: ReturnType<typeof useApp>['signInWithFirebase'];
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: (m: FirebaseModule) => Promise<void>) {
    setBusy(true);
    setError(null);
    const firebase = await import('./firebase');
    try {
      await action(firebase);
    } catch (caught) {
      setError(firebase.firebaseErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="signin-firebase" aria-labelledby="firebase-heading">
      <h2 id="firebase-heading">Or sign in with your account</h2>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => run(async (f) => onSignedIn(await f.signInWithGoogle(config)))}
      >
        Continue with Google
      </button>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(async (f) => onSignedIn(await f.signInWithPassword(config, email, password)));
        }}
      >
        <label htmlFor="fb-email">Email</label>
        <input
          id="fb-email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="fb-password">Password</label>
        <input
          id="fb-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <InlineError error={error} />
        <button type="submit" className="button" disabled={busy}>
          Sign in with email
        </button>
      </form>
    </section>
  );
}

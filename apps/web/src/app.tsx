import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { AppProvider, useApp } from './app-context';
import { SignInPage } from './auth/sign-in.page';
import { JobsPage } from './jobs/jobs.page';
import { JobFormPage } from './jobs/job-form.page';
import { JobLayout } from './jobs/job-layout';
import { ErrorBoundary } from './ui/error-boundary';
import { Loading } from './ui/states';

const DashboardPage = lazy(() => import('./dashboard/dashboard.page'));

export function App() {
  return (
    <AppProvider>
      <Shell />
    </AppProvider>
  );
}

function Shell() {
  const { session, ready, signOut, capabilitiesReady } = useApp();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);

  // Move focus to the new page's content on navigation, as a full page load would.
  useEffect(() => {
    const heading = main.current?.querySelector('h1');
    if (heading instanceof HTMLElement) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    // Only on route changes.
  }, [location]);

  if (!ready && !session) return <Loading label="Starting Shortlist…" />;
  if (!session) return <SignInPage />;
  if (!capabilitiesReady) return <Loading label="Connecting…" />;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/jobs" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>
          Shortlist
        </Link>
        <nav aria-label="Main">
          <Link href="/jobs" className={(active) => (active ? 'nav-link active' : 'nav-link')}>
            Jobs
          </Link>
          <Link href="/dashboard" className={(active) => (active ? 'nav-link active' : 'nav-link')}>
            Dashboard
          </Link>
        </nav>
        <button type="button" className="button button-quiet" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main}>
        <ErrorBoundary resetKey={location}>
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/">
                <Redirect to="/jobs" />
              </Route>
              <Route path="/jobs" component={JobsPage} />
              <Route path="/jobs/new" component={JobFormPage} />
              <Route path="/jobs/:jobId" nest>
                {(params) => <JobLayout jobId={params.jobId} />}
              </Route>
              <Route path="/dashboard" component={DashboardPage} />
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

function NotFound() {
  return (
    <div className="state">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/jobs">Go to your jobs</Link>.
      </p>
    </div>
  );
}

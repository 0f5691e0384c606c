import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** An error in plain words with a way forward; never a stack or a response body. */
export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: Error | string;
  title?: string;
  onRetry?: () => void;
}) {
  const message =
    typeof error === 'string'
      ? error
      : error.name === 'ApiError'
        ? error.message
        : 'An unexpected problem stopped this page. Try again.';
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="state state-empty">
      <h2>{title}</h2>
      {children && <div className="state-body">{children}</div>}
      {action}
    </div>
  );
}

export function InlineError({ error }: { error: Error | string | null | undefined }) {
  if (!error) return null;
  const message =
    typeof error === 'string'
      ? error
      : error.name === 'ApiError'
        ? error.message
        : 'An unexpected problem occurred. Try again.';
  return (
    <p className="inline-error" role="alert">
      {message}
    </p>
  );
}

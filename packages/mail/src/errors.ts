/** How a failed send should be handled. */
export type SendFailureKind =
  /** The server answered 4xx: retry this message later with backoff. */
  | 'transient'
  /** The server answered 5xx: retrying cannot help; keep the reply and stop. */
  | 'permanent'
  /** No SMTP reply (refused, dropped, timed out): the server is unreachable, not the message at fault. */
  | 'connection';

export interface SendFailure {
  kind: SendFailureKind;
  /** SMTP reply code when the server answered. */
  code: number | null;
  /** The server's reply line(s), or the network error, as a human can read it. */
  reply: string;
}

interface NodemailerError {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}

/** Classifies an error from a nodemailer transport (or our own outbox) for retry decisions. */
export function classifySendError(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const message = e.message ?? String(error);
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code !== null && code >= 500)
    return { kind: 'permanent', code, reply: e.response ?? message };
  if (code !== null && code >= 400)
    return { kind: 'transient', code, reply: e.response ?? message };
  return { kind: 'connection', code: null, reply: e.code ? `${e.code}: ${message}` : message };
}

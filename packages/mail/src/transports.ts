import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { isHeaderSafe } from './address';

/** One message as the worker hands it to a transport. */
export interface OutgoingMail {
  from: { name: string | null; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  /** Message-ID header including angle brackets, e.g. `<eml_x@shortlist.local>`. */
  messageId: string;
  /** One-click unsubscribe link: `List-Unsubscribe` + `List-Unsubscribe-Post` (RFC 2369, 8058). */
  unsubscribeUrl?: string | null;
}

export interface SendHooks {
  /**
   * Called when every byte but the end of the message has been handed over; the end (for SMTP the
   * final `.` that makes the server accept) is released only after the returned promise resolves.
   * The worker records the hand-off here, so a crash after this point is never sent twice.
   */
  beforeCommit?: () => Promise<void>;
}

export interface SendResult {
  messageId: string;
  /** The server's reply (`250 ...`) or where the outbox put the file. */
  response: string;
}

/** Whether a transport can tell if a message was delivered before a crash. */
export type LookupResult = 'delivered' | 'not-delivered' | 'unknown';

/** Sends composed messages: the outbox folder (embedded default) or pooled SMTP. */
export interface MailTransport {
  readonly kind: 'outbox' | 'smtp';
  send(mail: OutgoingMail, hooks?: SendHooks): Promise<SendResult>;
  /** Reconciliation after a crash: did a message with this Message-ID get delivered? */
  lookup(messageId: string): Promise<LookupResult>;
  /**
   * Deletes the local copy of a delivered message whose content was erased; true when one existed.
   * Only the outbox keeps copies: a message handed to an SMTP server cannot be recalled.
   */
  forget(messageId: string): Promise<boolean>;
  /** Resolves when the transport can deliver (folder writable, SMTP server answering). */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the RFC 5322 bytes of a message (headers encoded by nodemailer's composer). */
export async function composeMessage(mail: OutgoingMail): Promise<Buffer> {
  for (const [field, value] of [
    ['subject', mail.subject],
    ['from name', mail.from.name ?? ''],
    ['to', mail.to],
    ['reply-to', mail.replyTo ?? ''],
    ['message-id', mail.messageId],
    ['unsubscribe link', mail.unsubscribeUrl ?? ''],
  ] as const) {
    if (!isHeaderSafe(value))
      throw new Error(`refusing to send: the ${field} contains a line break`);
  }
  if (mail.unsubscribeUrl && !/^https?:\/\/[^\s<>]+$/.test(mail.unsubscribeUrl))
    throw new Error('refusing to send: the unsubscribe link is not a plain http(s) URL');
  const composer = new MailComposer({
    from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    ...(mail.unsubscribeUrl
      ? {
          headers: {
            'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }
      : {}),
  });
  return composer.compile().build();
}

function fileNameFor(messageId: string): string {
  return `${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`;
}

/**
 * The embedded transport: each message becomes `<outbox>/<message-id>.eml`, written under a
 * temporary name and renamed, so a file exists exactly when the message was delivered; that makes
 * reconciliation after a crash exact. Nothing leaves the machine.
 */
export class OutboxTransport implements MailTransport {
  readonly kind = 'outbox' as const;

  constructor(readonly dir: string) {}

  async send(mail: OutgoingMail, hooks: SendHooks = {}): Promise<SendResult> {
    const bytes = await composeMessage(mail);
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, fileNameFor(mail.messageId));
    try {
      await writeFile(`${path}.part`, bytes);
      await hooks.beforeCommit?.();
      await rename(`${path}.part`, path);
    } catch (error) {
      // The half-written copy holds the recipient and body: never leave it behind.
      await rm(`${path}.part`, { force: true }).catch(() => undefined);
      throw error;
    }
    return { messageId: mail.messageId, response: `written to ${path}` };
  }

  async forget(messageId: string): Promise<boolean> {
    const path = join(this.dir, fileNameFor(messageId));
    await rm(`${path}.part`, { force: true });
    try {
      await rm(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async lookup(messageId: string): Promise<LookupResult> {
    try {
      await access(join(this.dir, fileNameFor(messageId)));
      return 'delivered';
    } catch {
      return 'not-delivered';
    }
  }

  async verify(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await access(this.dir);
  }

  async close(): Promise<void> {}
}

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465` (TLS from the start). */
  url: string;
  /** Connections kept open and reused. */
  maxConnections: number;
  /** Messages per second across the pool; 0 for no limit. */
  ratePerSecond: number;
  /** Reconnect after this many messages on one connection. */
  maxMessagesPerConnection?: number;
  /** Refuse servers whose TLS certificate does not verify (default true). */
  tlsRejectUnauthorized?: boolean;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * A message body as a stream that holds back its end until `beforeCommit` resolves: nodemailer's
 * SMTP connection writes the terminating `.` only when this stream ends.
 */
function gatedBody(bytes: Buffer, beforeCommit?: () => Promise<void>): Readable {
  let pushed = false;
  let ending = false;
  return new Readable({
    read() {
      if (!pushed) {
        pushed = true;
        this.push(bytes);
        return;
      }
      if (ending) return;
      ending = true;
      if (!beforeCommit) {
        this.push(null);
        return;
      }
      beforeCommit().then(
        () => this.push(null),
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
}

type GetSocketCallback = (error: Error | null, socketOptions?: { connection: net.Socket }) => void;

/**
 * nodemailer's `getSocket` hook, opening each pooled connection with TCP_NODELAY. nodemailer leaves
 * Nagle's algorithm on, so the final `.` of every message waits for the server's delayed ACK
 * (~40 ms): a 5-connection pool tops out near 100 messages/s on loopback instead of 1,000+.
 *
 * The socket is handed over while it is still connecting and the callback never gets an error:
 * nodemailer then treats every failure (refused, reset, no greeting within `greetingTimeout`)
 * on its ordinary path, which retires the pool slot. An error passed to the callback instead leaves
 * the slot marked busy forever, and after enough failures (an SMTP server down for a few seconds)
 * the pool stops sending at all. TLS (`smtps:` and STARTTLS) is layered on this socket by nodemailer.
 */
function noDelaySocket(host: string, port: number) {
  return (_options: unknown, callback: GetSocketCallback): void => {
    let socket: net.Socket;
    try {
      socket = net.connect({ host, port, noDelay: true });
    } catch {
      // Let nodemailer open the connection itself (and report the error) if ours cannot start.
      callback(null);
      return;
    }
    // Synchronously, so nodemailer's error listener is on the socket before it can fail.
    callback(null, { connection: socket });
  };
}

/**
 * Pooled SMTP through nodemailer: connections are reused, at most `maxConnections` at once, and
 * at most `ratePerSecond` messages per second. nodemailer's own re-queueing is off
 * (`maxRequeues: 0`): a message whose connection dropped goes back to the worker, which decides.
 */
export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly transporter: nodemailer.Transporter;

  constructor(options: SmtpOptions) {
    const url = new URL(options.url);
    const secure = url.protocol === 'smtps:';
    const host = url.hostname;
    const port = url.port ? Number(url.port) : secure ? 465 : 587;
    this.transporter = nodemailer.createTransport({
      pool: true,
      host,
      port,
      secure,
      getSocket: noDelaySocket(host, port),
      ...(url.username
        ? {
            auth: {
              user: decodeURIComponent(url.username),
              pass: decodeURIComponent(url.password),
            },
          }
        : {}),
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessagesPerConnection ?? 1_000,
      ...(options.ratePerSecond > 0 ? { rateDelta: 1_000, rateLimit: options.ratePerSecond } : {}),
      maxRequeues: 0,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      tls: { rejectUnauthorized: options.tlsRejectUnauthorized ?? true },
      logger: false,
    } as nodemailer.TransportOptions);
  }

  async send(mail: OutgoingMail, hooks: SendHooks = {}): Promise<SendResult> {
    const bytes = await composeMessage(mail);
    const info = (await this.transporter.sendMail({
      envelope: { from: mail.from.address, to: [mail.to] },
      raw: gatedBody(bytes, hooks.beforeCommit),
    })) as { response?: string };
    return { messageId: mail.messageId, response: info.response ?? '' };
  }

  /** SMTP has no way to ask a server whether it accepted a message. */
  async lookup(): Promise<LookupResult> {
    return 'unknown';
  }

  /** Nothing is kept here, and what the server accepted cannot be recalled. */
  async forget(): Promise<boolean> {
    return false;
  }

  async verify(): Promise<void> {
    await this.transporter.verify();
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

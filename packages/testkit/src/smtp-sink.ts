import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the sink accepted (answered 250). */
export interface ReceivedMail {
  /** Message-ID header without angle brackets, or '' when the message had none. */
  messageId: string;
  from: string;
  to: string[];
  raw: string;
  at: number;
}

/** What the sink knows about one delivery attempt when deciding its reply. */
export interface DeliveryAttempt {
  messageId: string;
  from: string;
  to: string[];
  /** 1 for the first time this Message-ID reached the end of DATA, 2 for the second... */
  attempt: number;
}

/** A reply other than 250 for one attempt, e.g. `{ code: 451, message: 'Try later' }`. */
export interface SinkReply {
  code: number;
  message: string;
}

export interface SmtpSinkOptions {
  /** Port to bind on 127.0.0.1; 0 (default) picks a free one, kept across down()/up(). */
  port?: number;
  /** Delay before answering the end of DATA, to imitate a slower server. */
  replyDelayMs?: number;
  /** TLS from the first byte (`smtps:`), with smtp-server's built-in self-signed certificate. */
  secure?: boolean;
}

/**
 * A real SMTP server (npm `smtp-server`) on 127.0.0.1 for tests and benchmarks. It accepts
 * everything by default and records each accepted message; hooks let a test answer with 4xx/5xx,
 * take the server down (listener closed, open connections cut) and bring it back on the same port,
 * and count Message-IDs to detect duplicates or losses.
 */
export class SmtpSink {
  readonly host = '127.0.0.1';
  port = 0;
  /** Every accepted message, in arrival order. */
  readonly received: ReceivedMail[] = [];
  /** How many times each Message-ID reached the end of DATA (accepted or not). */
  readonly attempts = new Map<string, number>();
  private server: SMTPServer | null = null;
  private readonly sockets = new Set<Socket>();
  private reply: ((attempt: DeliveryAttempt) => SinkReply | null) | null = null;
  private replyDelayMs: number;
  private waiters: { count: number; resolve(): void }[] = [];

  constructor(private readonly options: SmtpSinkOptions = {}) {
    this.replyDelayMs = options.replyDelayMs ?? 0;
  }

  /**
   * Holds the answer to each end of DATA for `ms`: the message is accepted (and counted) when the
   * answer goes out, even if the client has gone by then, as a real server that committed it would.
   */
  setReplyDelay(ms: number): void {
    this.replyDelayMs = ms;
  }

  /** `smtp://127.0.0.1:<port>` (`smtps:` when secure), for SMTP_URL. */
  get url(): string {
    return `${this.options.secure ? 'smtps' : 'smtp'}://${this.host}:${this.port}`;
  }

  /** Starts listening (again). Resolves once connections are accepted. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      secure: this.options.secure ?? false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const messageId = headerMessageId(raw);
          const to = session.envelope.rcptTo.map((a) => a.address);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const attempt = (this.attempts.get(messageId) ?? 0) + 1;
          this.attempts.set(messageId, attempt);
          const answer = () => {
            const reply = this.reply?.({ messageId, from, to, attempt }) ?? null;
            if (reply) {
              const error = new Error(reply.message) as Error & { responseCode: number };
              error.responseCode = reply.code;
              callback(error);
              return;
            }
            this.received.push({ messageId, from, to, raw, at: Date.now() });
            this.notify();
            callback(null, `Ok: queued as ${messageId}`);
          };
          if (this.replyDelayMs > 0) setTimeout(answer, this.replyDelayMs);
          else answer();
        });
      },
    });
    server.on('error', () => {
      /* client resets while the sink is taken down are expected */
    });
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port || this.options.port || 0, this.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    const address = server.server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** Imitates a crashed server: stops listening and cuts every open connection at once. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** Decides the reply of each attempt; return null to accept. `null` restores accept-all. */
  setReply(reply: ((attempt: DeliveryAttempt) => SinkReply | null) | null): void {
    this.reply = reply;
  }

  /** Accepted messages per Message-ID. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.received)
      counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
    return counts;
  }

  /** Message-IDs accepted more than once. */
  duplicates(): string[] {
    return [...this.counts()].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** Resolves when at least `count` messages were accepted; rejects after `timeoutMs`. */
  waitForReceived(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `SMTP sink: ${this.received.length} of ${count} messages after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Stops the server for good. */
  async close(): Promise<void> {
    await this.down();
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this.received.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.received.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }
}

/** Starts an {@link SmtpSink} on 127.0.0.1; the caller stops it with `close()`. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const sink = new SmtpSink(options);
  await sink.up();
  return sink;
}

function headerMessageId(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*<?([^>\r\n]*)>?/im.exec(head);
  return match ? match[1]!.trim() : '';
}

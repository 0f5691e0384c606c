import net from 'node:net';
import { startSmtpSink, type SmtpSink } from '@shortlist/testkit';
import { classifySendError } from './errors';
import { SmtpTransport, type OutgoingMail } from './transports';

let seq = 0;
function mail(to = 'ada@example.test'): OutgoingMail {
  seq += 1;
  return {
    from: { name: 'Acme Hiring', address: 'jobs@acme.test' },
    to,
    subject: 'Interview invitation',
    text: 'Dear Ada,\n',
    messageId: `<smtp-${process.pid}-${seq}@acme.test>`,
  };
}

async function sendAll(transport: SmtpTransport, n: number) {
  return Promise.allSettled(Array.from({ length: n }, () => transport.send(mail())));
}

/** The pooled SMTP transport against a real SMTP server (smtp-server on loopback). */
describe.each([
  ['smtp', false],
  ['smtps', true],
])('SmtpTransport over %s', (_name, secure) => {
  let sink: SmtpSink;
  let transport: SmtpTransport;
  beforeEach(async () => {
    sink = await startSmtpSink({ secure });
    transport = new SmtpTransport({
      url: sink.url,
      maxConnections: 2,
      ratePerSecond: 0,
      tlsRejectUnauthorized: false,
    });
  });
  afterEach(async () => {
    await transport.close();
    await sink.close();
  });

  it('delivers through the pool, each message once, with the server reply', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => transport.send(mail(`c${i}@example.test`))),
    );
    expect(results.every((r) => /^250 /.test(r.response))).toBe(true);
    expect(sink.received).toHaveLength(20);
    expect(sink.duplicates()).toEqual([]);
    await expect(transport.verify()).resolves.toBeUndefined();
  });

  it('reports an unreachable server as a connection failure and recovers once it is back', async () => {
    await sendAll(transport, 4);
    await sink.down();
    // More failed connects than pool slots: a slot leaked per failure would leave none to send.
    for (let round = 0; round < 3; round++) {
      const failed = await sendAll(transport, 5);
      expect(failed.every((r) => r.status === 'rejected')).toBe(true);
      for (const r of failed) {
        expect(classifySendError((r as PromiseRejectedResult).reason).kind).toBe('connection');
      }
    }
    await expect(transport.verify()).rejects.toThrow();
    await sink.up();
    const after = await sendAll(transport, 10);
    expect(after.map((r) => r.status)).toEqual(Array(10).fill('fulfilled'));
    expect(sink.received).toHaveLength(14);
  });
});

describe('SmtpTransport against a server that accepts connections but never greets', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up after the connection timeout instead of hanging', async () => {
    const { port } = server.address() as net.AddressInfo;
    const transport = new SmtpTransport({
      url: `smtp://127.0.0.1:${port}`,
      maxConnections: 1,
      ratePerSecond: 0,
      connectionTimeoutMs: 300,
    });
    try {
      const results = await sendAll(transport, 3);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      const failure = classifySendError((results[0] as PromiseRejectedResult).reason);
      expect(failure).toMatchObject({ kind: 'connection' });
      expect(failure.reply).toMatch(/greeting|timeout/i);
    } finally {
      await transport.close();
    }
  });
});

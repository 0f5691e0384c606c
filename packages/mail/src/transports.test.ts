import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxTransport, composeMessage, type OutgoingMail } from './transports';

const mail: OutgoingMail = {
  from: { name: 'Acme "Hiring"', address: 'jobs@acme.test' },
  to: 'ada@example.test',
  replyTo: 'talent@acme.test',
  subject: 'Entrevista: Analista – Acme',
  text: 'Hola Ada\n',
  html: '<p>Hola Ada</p>',
  messageId: '<eml_1@acme.test>',
};

describe('OutboxTransport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per Message-ID and finds it again for reconciliation', async () => {
    const outbox = new OutboxTransport(dir);
    expect(await outbox.lookup(mail.messageId)).toBe('not-delivered');
    const order: string[] = [];
    await outbox.send(mail, {
      beforeCommit: async () => {
        const visible = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
        order.push(`commit with ${visible.length} visible .eml`);
      },
    });
    // The file appears only after the hand-off was recorded, so a crash in between resends.
    expect(order).toEqual(['commit with 0 visible .eml']);
    const files = await readdir(dir);
    expect(files).toEqual(['eml_1@acme.test.eml']);
    const raw = await readFile(join(dir, files[0]!), 'utf8');
    expect(raw).toMatch(/^Message-ID: <eml_1@acme.test>$/m);
    expect(raw).toMatch(/^Reply-To: talent@acme.test$/m);
    expect(await outbox.lookup(mail.messageId)).toBe('delivered');
  });

  it('does not deliver when recording the hand-off fails', async () => {
    const outbox = new OutboxTransport(dir);
    await expect(
      outbox.send(mail, { beforeCommit: () => Promise.reject(new Error('store down')) }),
    ).rejects.toThrow('store down');
    expect(await outbox.lookup(mail.messageId)).toBe('not-delivered');
    // Not even the half-written copy (recipient and body) stays behind.
    expect(await readdir(dir)).toEqual([]);
  });

  it('forgets a delivered copy (erasure) and tells whether there was one', async () => {
    const outbox = new OutboxTransport(dir);
    const other = { ...mail, messageId: '<eml_2@acme.test>' };
    await outbox.send(mail);
    await outbox.send(other);
    expect(await outbox.forget(mail.messageId)).toBe(true);
    expect(await readdir(dir)).toEqual(['eml_2@acme.test.eml']);
    expect(await outbox.lookup(mail.messageId)).toBe('not-delivered');
    expect(await outbox.forget(mail.messageId)).toBe(false);
    // A Message-ID cannot name a file outside the outbox.
    expect(await outbox.forget('<../eml_2@acme.test>')).toBe(false);
    expect(await readdir(dir)).toEqual(['eml_2@acme.test.eml']);
  });
});

describe('composeMessage', () => {
  it('encodes non-ASCII subjects and quotes display names', async () => {
    const raw = (await composeMessage(mail)).toString('utf8');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(raw).toMatch(/^From: "Acme \\"Hiring\\"" <jobs@acme.test>$/m);
    expect(raw).toContain('multipart/alternative');
  });

  it('refuses header values with line breaks', async () => {
    await expect(composeMessage({ ...mail, subject: 'a\r\nBcc: x@y.test' })).rejects.toThrow(
      /line break/,
    );
  });
});

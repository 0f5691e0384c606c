import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from '@shortlist/config';
import { startQuickStack, tempDir, type QuickStack } from '@shortlist/testkit';
import { GatewayEnv } from '../../apps/gateway/src/env';
import { docxZipBomb, pdfFlateBomb, plainDocx, plainPdf } from './fixtures/hostile-files';

const SECRET = 'cursor-secret-from-a-file-0123456789';
const PEOPLE = [
  { name: 'Priya Raman', email: 'priya.raman@example.org', phone: '+1 415 555 0142' },
  { name: 'Tomas Berg', email: 'tomas.berg@example.net', phone: '(212) 555-0187' },
  { name: 'Ana Souza', email: 'ana.souza@example.com', phone: '+44 20 7946 0958' },
  { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 10 5555 0123' },
];
/** Polls until `check` holds or 30 s pass; returns the last value read. */
async function poll<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    value = await read();
  }
  return value;
}

const lines = (p: (typeof PEOPLE)[number]) => [
  p.name,
  `${p.email} | ${p.phone}`,
  'Software engineer, ACME Corp, 2018 - 2024',
  'Skills: TypeScript, PostgreSQL, Redis',
];

describe('security: secrets from *_FILE variables', () => {
  it('reads a secret from the file a *_FILE variable names, and names the variable when it cannot', async () => {
    const dir = await tempDir('secret-file');
    try {
      const file = join(dir.path, 'cursor-secret');
      await writeFile(file, `${SECRET}\n`);
      expect(parseEnv(GatewayEnv, { CURSOR_SECRET_FILE: file }).CURSOR_SECRET).toBe(SECRET);
      expect(
        parseEnv(GatewayEnv, { CURSOR_SECRET: 'direct-value-wins-1234', CURSOR_SECRET_FILE: file })
          .CURSOR_SECRET,
      ).toBe('direct-value-wins-1234');
      expect(() => parseEnv(GatewayEnv, { CURSOR_SECRET_FILE: join(dir.path, 'missing') })).toThrow(
        /CURSOR_SECRET_FILE: cannot read .*ENOENT/,
      );
    } finally {
      await dir.remove();
    }
  });
});

/**
 * The real stack (scripts/serve.mjs: gateway, resume-worker, email-worker processes, real Redis)
 * takes a batch mixing good resumes full of personal data with file bombs, sends one candidate an
 * email (the embedded outbox keeps a `.eml` copy), erases that candidate's resume (the copy goes
 * too), is sent wrong API keys, and stops. Then every log line the processes wrote is searched for
 * the fixtures' emails, phone numbers, names, the API key and the secret: none may appear.
 */
describe('security: a real run keeps bombs contained and personal data out of the logs', () => {
  let stack: QuickStack;

  beforeAll(async () => {
    stack = await startQuickStack({
      name: 'sec',
      env: async (dataDir) => {
        const secretFile = join(dataDir, 'cursor-secret');
        await writeFile(secretFile, SECRET);
        return { LOG_LEVEL: 'debug', CURSOR_SECRET_FILE: secretFile, WEB_DIR: 'off' };
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  }, 40_000);

  it('reads the good files, refuses the bombs with reasons, erases on request, logs no PII', async () => {
    const { api, url, key } = stack;
    const job = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Platform engineer',
        description: 'Build services in TypeScript on PostgreSQL and Redis.',
        criteria: [
          { name: 'TypeScript', weight: 1 },
          { name: 'PostgreSQL', weight: 1 },
        ],
      }),
    });
    expect(job.status).toBe(201);
    const { id: jobId } = (await job.json()) as { id: string };

    const form = new FormData();
    const file = (bytes: Buffer, name: string) => form.append('files', new Blob([bytes]), name);
    file(Buffer.from(lines(PEOPLE[0]!).join('\n')), 'priya.txt');
    file(plainPdf(lines(PEOPLE[1]!)), 'tomas.pdf');
    file(plainDocx(lines(PEOPLE[2]!)), 'ana.docx');
    file(Buffer.from(lines(PEOPLE[3]!).join('\n')), 'li.txt');
    file(docxZipBomb(80, { lie: true }), 'bomb.docx');
    file(pdfFlateBomb(70), 'bomb.pdf');
    const upload = await api(`/v1/jobs/${jobId}/batches`, { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    const { batch } = (await upload.json()) as { batch: { id: string } };

    const state = await stack.waitForBatch(batch.id, 120_000);
    expect(state?.counts).toMatchObject({ total: 6, done: 4, failed: 2 });
    const list = (await (await api(`/v1/jobs/${jobId}/resumes?limit=50`)).json()) as {
      items: { id: string; fileName: string; status: string; error: string | null }[];
    };
    const byName = new Map(list.items.map((r) => [r.fileName, r]));
    expect(byName.get('bomb.docx')?.error).toMatch(/zip bomb/);
    expect(byName.get('bomb.pdf')?.error).toMatch(/decompression bomb/);
    for (const good of ['priya.txt', 'tomas.pdf', 'ana.docx', 'li.txt'])
      expect(byName.get(good)?.status).toBe('done');

    // Li was sent an invitation: the embedded outbox holds a copy (address and letter).
    const erased = byName.get('li.txt')!;
    const outbox = join(stack.dir, 'outbox');
    const emlFiles = async () =>
      (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
    const invite = await api('/v1/emails', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'invite', resumeIds: [erased.id] }),
    });
    expect(invite.status).toBe(202);
    const written = await poll(emlFiles, (f) => f.length === 1);
    expect(written).toHaveLength(1);
    expect(await readFile(join(outbox, written[0]!), 'utf8')).toContain(PEOPLE[3]!.email);

    // Erasure on request: the resume, its file, its cached analysis and the outbox copy of its
    // email go; an audit line stays.
    expect((await api(`/v1/resumes/${erased.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/resumes/${erased.id}`)).status).toBe(404);
    expect(await poll(emlFiles, (f) => f.length === 0)).toEqual([]);
    // The audit record of that erasure, read back by the tenant: ids and counts, nothing personal.
    const trail = await api('/v1/audit');
    expect(trail.status).toBe(200);
    const trailText = await trail.text();
    const record = (JSON.parse(trailText) as { items: Record<string, unknown>[] }).items[0];
    expect(record).toMatchObject({
      action: 'resume.erased',
      subjectIds: [erased.id],
      actor: { type: 'apikey' },
      // A plain-text upload is its own extracted text: one file.
      counts: { resumes: 1, emails: 1, blobs: 1, orphanedBlobs: 0 },
    });
    const li = PEOPLE[3]!;
    const personal = [li.name, li.email, li.phone, li.phone.replace(/\D/g, ''), 'li.txt'];
    expect(personal.filter((s) => trailText.includes(s))).toEqual([]);

    // Guessing keys is logged (address and count, never the guess).
    for (let i = 0; i < 3; i++)
      await fetch(`${url}/v1/me`, {
        headers: { authorization: `Bearer sl_guess_${i}_abcdefghijkl` },
      });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await stack.process.stop('SIGTERM', 20_000);
    const logDir = join(stack.dir, 'logs');
    const logs = [stack.process.output()];
    for (const name of await readdir(logDir)) logs.push(await readFile(join(logDir, name), 'utf8'));
    const all = logs.join('\n');
    expect(all).toMatch(/"message":"resume erased"/);
    const auditLine = all.split('\n').find((l) => l.includes('"message":"resume erased"'))!;
    expect(auditLine).toContain(erased.id);
    expect(all).toMatch(/credential rejected/);
    expect(all.length).toBeGreaterThan(2_000);

    const found: string[] = [];
    const needles = [
      SECRET,
      key,
      'sl_guess_',
      ...PEOPLE.flatMap((p) => [p.email, p.phone, p.phone.replace(/\D/g, ''), p.name]),
    ];
    // The launcher prints the API key once for the operator; only the processes' logs count.
    const processLogs = logs.slice(1).join('\n');
    for (const needle of needles) if (processLogs.includes(needle)) found.push(needle);
    for (const needle of needles.filter((n) => n !== key))
      if (stack.process.output().includes(needle)) found.push(`stdout: ${needle}`);
    expect(found).toEqual([]);
  }, 240_000);
});

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  generateTextResumes,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';

const MAIN = join(REPO_ROOT, 'apps', 'gateway', 'src', 'main.ts');
const ADMIN = join(REPO_ROOT, 'apps', 'gateway', 'src', 'admin.ts');

/** Polls `check` until it holds (a condition, never a fixed sleep). */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const responseOf = (req: ClientRequest) =>
  new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });

const bodyOf = async (res: IncomingMessage) => {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
};

/**
 * The gateway as operators run it (`node apps/gateway/src/main.ts`), stopped with SIGTERM while
 * an upload is half sent and an event stream is open: readiness fails first, the upload still
 * completes with 202, the stream ends cleanly, and the process exits 0.
 */
describe('gateway graceful shutdown (real process, real Redis)', () => {
  const prefix = uniquePrefix('gw-shutdown');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let gateway: RunningProcess;
  let url: string;
  let auth: string;

  beforeAll(async () => {
    dir = await tempDir('gw-shutdown');
    const env = {
      DATA_DIR: dir.path,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      WEB_DIR: 'off',
      SHUTDOWN_GRACE_MS: '20000',
      SHUTDOWN_READINESS_DELAY_MS: '1500',
    };
    const admin = spawnSync(
      process.execPath,
      ['--import', 'tsx', ADMIN, 'create-user', '--name', 'Shutdown', '--role', 'member'],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    if (admin.status !== 0) throw new Error(`admin failed: ${admin.stderr}`);
    auth = `Bearer ${admin.stdout.trim()}`;
    gateway = startProcess(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: REPO_ROOT,
      env,
      label: 'gateway',
    });
    url = (await gateway.waitFor(/"url":"(http:\/\/[^"]+)"/, 60_000))[1]!;
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir?.remove();
  });

  it('finishes an in-flight upload and closes event streams, failing readiness first, then exits 0', async () => {
    const call = async (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { authorization: auth, ...init.headers } });
    const job = (await (
      await call('/v1/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Backend engineer',
          description: 'Services in TypeScript on PostgreSQL and Redis.',
        }),
      })
    ).json()) as { id: string };
    // A batch no worker will process, so its event stream stays open.
    const waiting = (await (
      await call(`/v1/jobs/${job.id}/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resumes: [{ fileName: 'a.txt', text: 'TypeScript engineer' }] }),
      })
    ).json()) as { batch: { id: string } };

    const events = httpRequest(`${url}/v1/batches/${waiting.batch.id}/events`, {
      headers: { authorization: auth, accept: 'text/event-stream' },
    });
    events.end();
    const stream = await responseOf(events);
    expect(stream.statusCode).toBe(200);
    const streamText = bodyOf(stream);

    // An upload whose first file is sent and whose second is still to come.
    const boundary = 'shutdown-test-boundary';
    const [first, second] = generateTextResumes(2, ['TypeScript', 'Redis'], 5);
    const part = (name: string, text: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n` +
      `Content-Type: text/plain\r\n\r\n${text}\r\n`;
    const upload = httpRequest(`${url}/v1/jobs/${job.id}/batches`, {
      method: 'POST',
      headers: {
        authorization: auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'transfer-encoding': 'chunked',
      },
    });
    const uploaded = responseOf(upload);
    upload.write(part(first!.fileName, first!.text));

    const inFlight = async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      return Number(
        /^shortlist_http_requests_in_flight(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1] ?? 0,
      );
    };
    // The event stream, the upload and this /metrics request itself.
    await until(async () => (await inFlight()) >= 3);

    const exited = once(gateway.child, 'exit');
    gateway.child.kill('SIGTERM');
    // Readiness fails while the listener still answers, so a balancer stops routing here.
    await until(async () => (await fetch(`${url}/readyz`)).status === 503);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    expect(ready.checks.shutdown).toBe('draining');

    // The event stream is ended cleanly with a reconnect hint, not cut.
    await expect(streamText).resolves.toMatch(/server shutting down, reconnect with Last-Event-ID/);
    // Then the listener closes: new connections are refused...
    await until(async () => {
      try {
        await fetch(`${url}/healthz`);
        return false;
      } catch {
        return true;
      }
    });
    // ...while the upload that started before goes on to the end and is accepted.
    upload.end(`${part(second!.fileName, second!.text)}--${boundary}--\r\n`);
    const response = await uploaded;
    expect(response.statusCode).toBe(202);
    const accepted = JSON.parse(await bodyOf(response)) as {
      files: { fileName: string; status: string }[];
    };
    expect(accepted.files.map((f) => [f.fileName, f.status])).toEqual([
      [first!.fileName, 'queued'],
      [second!.fileName, 'queued'],
    ]);

    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  }, 120_000);
});

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { publishProgress, type Redis } from '@shortlist/queue';
import { createRedis } from '@shortlist/queue';
import { TEST_REDIS_URL } from '@shortlist/testkit';
import { gatewayHarness, type Harness } from './harness';
import { createJob, uploadTexts } from './helpers';

interface SseEvent {
  id?: string;
  data: { type: string; resumeId?: string; batch?: { counts: { total: number } } };
}

/** A Server-Sent Events client on a real socket, as a browser would hold one. */
function openEvents(url: string, auth: string, lastEventId?: string, gzip = false) {
  const events: SseEvent[] = [];
  let buffer = '';
  let response: IncomingMessage | undefined;
  let ended = false;
  const req = httpRequest(url, {
    headers: {
      authorization: auth,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      ...(gzip ? { 'accept-encoding': 'gzip' } : {}),
    },
  });
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const data = lines.find((l) => l.startsWith('data: '));
          if (!data) continue;
          const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
          events.push({ ...(id ? { id } : {}), data: JSON.parse(data.slice(6)) });
        }
      });
      res.on('end', () => {
        ended = true;
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return {
    events,
    opened,
    get ended() {
      return ended;
    },
    get response() {
      return response;
    },
    close: () => req.destroy(),
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live progress over SSE across two gateway replicas', () => {
  let a: Harness;
  let b: Harness;
  let urlA: string;
  let urlB: string;
  let worker: Redis;

  beforeAll(async () => {
    a = await gatewayHarness();
    // Replica B: same deployment (Redis prefix, SQLite file, blob folder), its own process state.
    b = await gatewayHarness({ prefix: a.prefix, dir: a.dir });
    urlA = (await a.listen()).url;
    urlB = (await b.listen()).url;
    worker = createRedis(TEST_REDIS_URL, 'worker');
  });
  afterAll(async () => {
    await b.close({ keepData: true });
    await a.close();
    worker.disconnect();
  });

  const event = (batchId: string, resumeId: string, type: 'resume.processing' | 'resume.done') =>
    publishProgress(worker, a.prefix, {
      type,
      batchId,
      resumeId,
      ...(type === 'resume.done' ? { score: 70, tier: 'shortlist' } : {}),
      at: new Date().toISOString(),
    });

  it('relays worker events to a client on either replica and resumes after a drop without loss or repeats', async () => {
    const jobId = await createJob(a);
    const texts = Array.from({ length: 6 }, (_, i) => `candidate ${i}`);
    const { batchId, resumeIds } = await uploadTexts(a, jobId, texts);

    const onB = openEvents(`${urlB}/v1/batches/${batchId}/events`, a.alice.auth, undefined, true);
    const res = await onB.opened;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['content-encoding']).toBeUndefined();
    await until(() => onB.events.length === 1);
    expect(onB.events[0]!.data).toMatchObject({
      type: 'snapshot',
      batch: { counts: { total: 6 } },
    });

    for (const id of resumeIds.slice(0, 3)) await event(batchId, id, 'resume.done');
    await until(() => onB.events.length === 4);
    onB.close();
    const lastSeen = onB.events.at(-1)!.id!;

    // Events keep coming while the client is away.
    for (const id of resumeIds.slice(3, 5)) await event(batchId, id, 'resume.done');

    const onA = openEvents(`${urlA}/v1/batches/${batchId}/events`, a.alice.auth, lastSeen);
    expect((await onA.opened).statusCode).toBe(200);
    await until(() => onA.events.length === 2);
    await event(batchId, resumeIds[5]!, 'resume.done');
    await publishProgress(worker, a.prefix, {
      type: 'batch.finished',
      batchId,
      at: new Date().toISOString(),
    });
    await until(() => onA.ended);

    const seen = [...onB.events.slice(1), ...onA.events].map((e) => e.data);
    expect(seen.map((e) => e.resumeId ?? e.type)).toEqual([...resumeIds, 'batch.finished']);
    const ids = [...onB.events.slice(1), ...onA.events].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends a snapshot first when Last-Event-ID is older than the kept events', async () => {
    const jobId = await createJob(a);
    const { batchId, resumeIds } = await uploadTexts(a, jobId, ['x', 'y']);
    await event(batchId, resumeIds[0]!, 'resume.processing');
    const client = openEvents(`${urlA}/v1/batches/${batchId}/events`, a.alice.auth, '1-0');
    await until(() => client.events.length === 2);
    client.close();
    expect(client.events.map((e) => e.data.type)).toEqual(['snapshot', 'resume.processing']);
  });

  it("refuses another tenant's batch with 404 on both replicas", async () => {
    const jobId = await createJob(a);
    const { batchId } = await uploadTexts(a, jobId, ['private']);
    for (const url of [urlA, urlB]) {
      const client = openEvents(`${url}/v1/batches/${batchId}/events`, a.bob.auth);
      expect((await client.opened).statusCode).toBe(404);
      client.close();
    }
  });

  it('ends open streams cleanly when the app shuts down', async () => {
    const c = await gatewayHarness({ prefix: a.prefix, dir: a.dir });
    const { url } = await c.listen();
    const jobId = await createJob(a);
    const { batchId } = await uploadTexts(a, jobId, ['z']);
    const client = openEvents(`${url}/v1/batches/${batchId}/events`, a.alice.auth);
    await until(() => client.events.length === 1);
    expect(c.app.sse.size).toBe(1);
    await c.app.close();
    await until(() => client.ended);
    expect(c.app.sse.size).toBe(0);
    await c.close({ keepData: true });
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatBody, OpenAiServer, RecordedRequest } from './openai-server';

/** A Batch API job as the fake server keeps it. */
export interface FakeBatch {
  id: string;
  inputFileId: string;
  status: 'in_progress' | 'completed' | 'failed';
  outputFileId: string | null;
  requests: number;
  createdAt: number;
}

export interface BatchEndpoints {
  /** Every batch created, in order. */
  batches: FakeBatch[];
  /** Files uploaded or produced, by id. */
  files: Map<string, { purpose: string; content: string }>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the request body ourselves: the server only parses JSON bodies. */
async function rawBody(req: IncomingMessage): Promise<Buffer> {
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The `file` part and the `purpose` field of a multipart/form-data upload. */
function multipart(raw: Buffer, contentType: string): { file: string; purpose: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error('multipart body without boundary');
  const parts = raw.toString('utf8').split(`--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string> = {};
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]+)"/.exec(part.slice(0, split))?.[1];
    if (name) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return { file: fields.file ?? '', purpose: fields.purpose ?? '' };
}

/**
 * Adds the OpenAI Files and Batches endpoints to a fake server, so economy mode (half price,
 * results when ready) runs end to end with the real SDK: `POST /v1/files` (multipart, purpose
 * `batch`), `GET /v1/files/:id/content`, `POST /v1/batches` and `GET /v1/batches/:id`. A batch
 * completes `completeAfterMs` after creation with the answers the chat endpoint would give
 * (`server.completion`), each line `{id, custom_id, response: {status_code, body}, error}`.
 */
export function addBatchEndpoints(
  server: OpenAiServer,
  options: { completeAfterMs?: number } = {},
): BatchEndpoints {
  const state: BatchEndpoints = { batches: [], files: new Map() };
  let counter = 0;
  const nextId = (kind: string) => `${kind}-fake-${++counter}`;

  const batchJson = (b: FakeBatch) => ({
    id: b.id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    errors: null,
    input_file_id: b.inputFileId,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.outputFileId,
    error_file_id: null,
    created_at: Math.floor(b.createdAt / 1000),
    request_counts: {
      total: b.requests,
      completed: b.status === 'completed' ? b.requests : 0,
      failed: 0,
    },
  });

  const complete = (batch: FakeBatch) => {
    const input = state.files.get(batch.inputFileId)?.content ?? '';
    const lines = input
      .split('\n')
      .filter((l) => l.trim())
      .map((line) => {
        const request = JSON.parse(line) as { custom_id: string; body: ChatBody };
        return JSON.stringify({
          id: nextId('batch_req'),
          custom_id: request.custom_id,
          response: {
            status_code: 200,
            request_id: nextId('req'),
            body: server.completion(request.body),
          },
          error: null,
        });
      });
    const outputId = nextId('file');
    state.files.set(outputId, { purpose: 'batch_output', content: `${lines.join('\n')}\n` });
    batch.outputFileId = outputId;
    batch.status = 'completed';
  };

  server.route('POST', '/v1/files', async (req, res, _body, record: RecordedRequest) => {
    const { file, purpose } = multipart(
      record.raw ?? (await rawBody(req)),
      req.headers['content-type'] ?? '',
    );
    const id = nextId('file');
    state.files.set(id, { purpose, content: file });
    record.status = 200;
    send(res, 200, {
      id,
      object: 'file',
      bytes: Buffer.byteLength(file),
      created_at: Math.floor(Date.now() / 1000),
      filename: 'batch.jsonl',
      purpose,
      status: 'processed',
    });
  });

  server.route('GET', '/v1/files/:id/content', (_req, res, _body, record) => {
    const id = record.path.split('/')[3]!;
    const file = state.files.get(id);
    record.status = file ? 200 : 404;
    if (!file) return send(res, 404, { error: { message: `No such file ${id}` } });
    send(res, 200, file.content, 'application/octet-stream');
  });

  server.route('POST', '/v1/batches', (_req, res, body, record) => {
    const request = body as { input_file_id?: string; endpoint?: string } | null;
    const input = request?.input_file_id ? state.files.get(request.input_file_id) : undefined;
    if (!input || request?.endpoint !== '/v1/chat/completions') {
      record.status = 400;
      return send(res, 400, {
        error: {
          message: 'input_file_id of an uploaded batch file is required',
          param: 'input_file_id',
        },
      });
    }
    const batch: FakeBatch = {
      id: nextId('batch'),
      inputFileId: request.input_file_id!,
      status: 'in_progress',
      outputFileId: null,
      requests: input.content.split('\n').filter((l) => l.trim()).length,
      createdAt: Date.now(),
    };
    state.batches.push(batch);
    setTimeout(() => complete(batch), options.completeAfterMs ?? 200).unref();
    record.status = 200;
    send(res, 200, batchJson(batch));
  });

  server.route('GET', '/v1/batches/:id', (_req, res, _body, record) => {
    const id = record.path.split('/')[3]!;
    const batch = state.batches.find((b) => b.id === id);
    record.status = batch ? 200 : 404;
    if (!batch) return send(res, 404, { error: { message: `No such batch ${id}` } });
    send(res, 200, batchJson(batch));
  });

  return state;
}

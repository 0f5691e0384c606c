import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { extractBytes, type ExtractBytesOptions } from './extract-bytes';
import { readCapped } from './read-capped';
import type { WorkerReply, WorkerRequest } from './extract.worker';
import { EXTRACT_DEFAULTS, type ExtractionResult, type ExtractorOptions } from './types';

/** Reads resumes off the event loop. */
export interface Extractor {
  /**
   * Reads one file. Resolves for every file, however broken (a bad file is a verdict, not an
   * error); rejects only after {@link Extractor.close}.
   * @param hint.fileName used for nothing but logs: the type is judged from the bytes.
   */
  extract(bytes: Uint8Array, hint?: { fileName?: string; now?: Date }): Promise<ExtractionResult>;
  /**
   * Reads one file from a stream, holding at most `maxBytes` (+1) of it in memory: an oversized
   * file stops being read at the limit and comes back as verdict `unsupported` with the reason.
   */
  extractStream(
    source: AsyncIterable<Uint8Array>,
    hint?: { fileName?: string; now?: Date },
  ): Promise<ExtractionResult>;
  /** Finishes the files already handed in, then stops the threads. */
  close(): Promise<void>;
}

interface Task {
  id: number;
  bytes: Uint8Array;
  options: ExtractBytesOptions;
  resolve: (result: ExtractionResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/** A TypeScript entry needs tsx inside the thread too (jest and `node --import tsx` alike). */
function spawn(): Worker {
  const entry = join(__dirname, `extract.worker${extname(__filename)}`);
  // Heap cap per thread: a hostile file can exhaust its thread, not the process. pdf.js allocates
  // short-lived objects per glyph; a thread's default young generation (derived from the old
  // generation cap) is small enough that scavenges took ~40% of extraction time (bench/extract.ts).
  const resourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64 };
  if (!entry.endsWith('.ts')) return new Worker(entry, { resourceLimits });
  const tsx = require.resolve('tsx/cjs/api');
  return new Worker(
    `require(${JSON.stringify(tsx)}).register();require(${JSON.stringify(entry)});`,
    {
      eval: true,
      resourceLimits,
    },
  );
}

/**
 * Creates an extractor. With `threads >= 1`, files are read in that many worker threads, one
 * file per thread at a time; a file that takes longer than `timeoutMs` has its thread
 * terminated and replaced and comes back as verdict `corrupt`. With `threads: 0` files are read
 * on the calling thread (for scripts and tests; no hard time limit).
 */
export function createExtractor(options: Partial<ExtractorOptions> = {}): Extractor {
  const config: ExtractorOptions = { ...EXTRACT_DEFAULTS, ...options };
  const limits = {
    maxPages: config.maxPages,
    maxChars: config.maxChars,
    maxBytes: config.maxBytes,
    maxInflatedBytes: config.maxInflatedBytes,
    maxZipEntries: config.maxZipEntries,
  };
  let closed = false;
  let nextId = 1;
  let bootFailures = 0;
  const queue: Task[] = [];
  const slots: Slot[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const settle = (slot: Slot, result: ExtractionResult | Error) => {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    if (task) {
      if (result instanceof Error) task.reject(result);
      else task.resolve(result);
    }
    pump();
  };

  const failure = (task: Task, verdict: 'corrupt', timeoutMs?: number) =>
    extractBytes(task.bytes, { ...task.options, failed: { verdict, timeoutMs } });

  const replace = (slot: Slot) => {
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
  };

  const addSlot = (): Slot => {
    const slot: Slot = { worker: spawn(), ready: false, task: null, timer: null };
    slot.worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        pump();
        return;
      }
      if (!slot.task || reply.id !== slot.task.id) return;
      if ('result' in reply) settle(slot, reply.result);
      else {
        const task = slot.task;
        void failure(task, 'corrupt').then((r) => settle(slot, r));
      }
    });
    // A crash (out of memory, a bug in a parser) costs the file in hand, never the process.
    const crashed = (error?: unknown) => {
      const task = slot.task;
      replace(slot);
      if (!slot.ready) {
        // A thread that dies before it is ready will die again: fail the waiting files loudly.
        bootFailures++;
        if (bootFailures >= 3) {
          const reason = new Error(`Extraction threads fail to start: ${String(error)}`);
          for (const waiting of queue.splice(0)) waiting.reject(reason);
          return;
        }
      } else bootFailures = 0;
      if (task) {
        slot.task = null;
        if (slot.timer) clearTimeout(slot.timer);
        void failure(task, 'corrupt').then(task.resolve, task.reject);
      }
      pump();
    };
    slot.worker.on('error', crashed);
    slot.worker.on('exit', (code) => crashed(`exit code ${code}`));
    slots.push(slot);
    return slot;
  };

  // Busy or starting threads keep the process alive while a caller awaits them; idle ones do not.
  const holdOpen = () => {
    for (const slot of slots) {
      if (slot.task || !slot.ready) slot.worker.ref();
      else slot.worker.unref();
    }
  };

  const pump = () => {
    try {
      dispatch();
    } finally {
      holdOpen();
    }
  };

  const dispatch = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => s.ready && s.task === null);
      if (!slot) {
        const starting = slots.filter((s) => !s.ready).length;
        if (slots.length < config.threads && starting < queue.length) addSlot();
        return;
      }
      const task = queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => {
        if (slot.task !== task) return;
        replace(slot);
        slot.task = null;
        void failure(task, 'corrupt', config.timeoutMs).then(task.resolve, task.reject);
        pump();
      }, config.timeoutMs);
      const copy = new Uint8Array(task.bytes); // a copy: Buffer#slice would share (and detach) memory
      slot.worker.postMessage(
        { id: task.id, bytes: copy, options: task.options } satisfies WorkerRequest,
        [copy.buffer as ArrayBuffer],
      );
    }
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const extractor: Extractor = {
    async extractStream(source, hint = {}) {
      return extractor.extract(await readCapped(source, config.maxBytes), hint);
    },
    extract(bytes, hint = {}) {
      if (closed) return Promise.reject(new Error('The extractor is closed.'));
      const options: ExtractBytesOptions = { limits, now: hint.now };
      if (config.threads <= 0) return track(extractBytes(bytes, options));
      return track(
        new Promise<ExtractionResult>((resolve, reject) => {
          queue.push({ id: nextId++, bytes, options, resolve, reject });
          pump();
        }),
      );
    },
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.worker.removeAllListeners();
          return slot.worker.terminate();
        }),
      );
    },
  };
  return extractor;
}

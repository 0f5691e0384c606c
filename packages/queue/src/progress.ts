import { AppError, ProgressEvent, batchEventsChannel } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Redis, Result } from 'ioredis';

/** The Redis Stream that keeps a batch's recent progress events for replay after a reconnect. */
export function batchEventsStream(prefix: string, batchId: string): string {
  return `${batchEventsChannel(prefix, batchId)}:log`;
}

/** A progress event with the id of its stream entry (`<ms>-<seq>`), which orders events. */
export interface ProgressMessage {
  id: string;
  event: ProgressEvent;
}

export interface PublishProgressOptions {
  /** Approximate number of events a batch's stream keeps (older ones are trimmed). */
  maxLen?: number;
  /** Seconds the stream lives after its last event. */
  ttlSeconds?: number;
  /**
   * For `batch.finished`: the number of resumes of the batch that reached a final state through
   * an event (`done` + `failed`). The event is held back until that many final events are in the
   * log, so it always comes after them even when another worker's event arrives late (its
   * connection came back later after a Redis restart). Without it, the event is logged at once.
   */
  finals?: number;
}

/** Keeps a batch of 1,000 resumes (two events each) several times over. */
export const DEFAULT_PROGRESS_MAXLEN = 10_000;
export const DEFAULT_PROGRESS_TTL_SECONDS = 2 * 24 * 3600;

// Append and announce in one atomic step, so a subscriber that reads the stream after
// subscribing sees every event either in the stream or on the channel (or both, deduped by id).
//
// A hash beside the stream keeps what the log already says about each resume (`r:<id>` =
// `processing` | `final`), so a publish repeated by a retry (its reply lost in a Redis restart, a
// job re-run after its worker died) is logged once: a resume's lifecycle is processing -> final,
// and only a re-analysis (a new `processing`) opens the next one. `finals` counts resumes whose
// last logged event is final; a `batch.finished` waits in `finish` until it reaches `expected`.
const PUBLISH_SCRIPT = `
local stream, state = KEYS[1], KEYS[2]
local maxLen, body, ttl, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local kind, resumeId, dedupe, expected = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local function emit(json)
  local id = redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*', 'e', json)
  redis.call('PUBLISH', channel, '{"id":"' .. id .. '",' .. string.sub(json, 2))
  return id
end
local id = false
if kind == 'batch.finished' then
  if redis.call('HGET', state, 'finished') == dedupe or redis.call('HGET', state, 'finishKey') == dedupe then
    return redis.call('HGET', state, 'finishedId') or false
  end
  if expected == '' then
    id = emit(body)
    redis.call('HSET', state, 'finished', dedupe, 'finishedId', id)
  else
    redis.call('HSET', state, 'finish', body, 'finishKey', dedupe, 'expected', expected)
  end
elseif resumeId ~= '' and kind ~= 'resume.rescored' then
  local field = 'r:' .. resumeId
  local was = redis.call('HGET', state, field)
  local now = kind == 'resume.processing' and 'processing' or 'final'
  if was == now then return redis.call('HGET', state, 'id:' .. resumeId) or false end
  id = emit(body)
  redis.call('HSET', state, field, now, 'id:' .. resumeId, id)
  if now == 'final' then
    redis.call('HINCRBY', state, 'finals', 1)
  elseif was == 'final' then
    redis.call('HINCRBY', state, 'finals', -1)
  end
else
  if dedupe ~= '' and redis.call('HSETNX', state, 'seen:' .. dedupe, '1') == 0 then return false end
  id = emit(body)
end
local finish = redis.call('HGET', state, 'finish')
if finish and tonumber(redis.call('HGET', state, 'finals') or '0') >= tonumber(redis.call('HGET', state, 'expected')) then
  local finishedId = emit(finish)
  redis.call('HSET', state, 'finished', redis.call('HGET', state, 'finishKey'), 'finishedId', finishedId)
  redis.call('HDEL', state, 'finish', 'finishKey', 'expected')
  if kind == 'batch.finished' then id = finishedId end
end
redis.call('EXPIRE', stream, ttl)
redis.call('EXPIRE', state, ttl)
return id
`;

/** The hash beside a batch's stream that makes publishing idempotent (see PUBLISH_SCRIPT). */
function batchEventsState(prefix: string, batchId: string): string {
  return `${batchEventsStream(prefix, batchId)}:state`;
}

/**
 * Defines the publish script on `redis` (once; by SHA, so the 3 kB script is not sent and hashed
 * per event). {@link createRedis} does this for every connection it opens: an auto-pipelining
 * connection copies its custom commands into each pipeline it opens, so a command defined while a
 * pipeline is open is missing from it, and ioredis then crashes the process on that pipeline's
 * reply (`results[i] is not iterable`).
 */
export function defineProgressScript(redis: Redis): void {
  if (typeof redis.shortlistPublishProgress !== 'function')
    redis.defineCommand('shortlistPublishProgress', { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
}

/**
 * Records a progress event for its batch and announces it: appends it to the batch's Redis
 * Stream (trimmed to about `maxLen` entries, expiring `ttlSeconds` after the last event) and
 * publishes it on the batch channel as the event's JSON with one more member, `id`, the stream
 * entry id. Resolves to that id.
 *
 * Safe to repeat: a resume's `processing` and final (`done` / `failed` / `duplicate`) events are
 * logged once per lifecycle, a `batch.finished` once per `at`, a `resume.rescored` once per
 * `at`; a repeat resolves to the id first logged. A `batch.finished` with `finals` may be held
 * back (resolves to `null`) until the final events it counts are in the log.
 */
export async function publishProgress(
  redis: Redis,
  prefix: string,
  event: ProgressEvent,
  options: PublishProgressOptions = {},
): Promise<string | null> {
  const valid = ProgressEvent.parse(event);
  defineProgressScript(redis);
  const id = await redis.shortlistPublishProgress(
    batchEventsStream(prefix, valid.batchId),
    batchEventsState(prefix, valid.batchId),
    String(options.maxLen ?? DEFAULT_PROGRESS_MAXLEN),
    JSON.stringify(valid),
    String(options.ttlSeconds ?? DEFAULT_PROGRESS_TTL_SECONDS),
    batchEventsChannel(prefix, valid.batchId),
    valid.type,
    valid.resumeId ?? '',
    `${valid.type}|${valid.resumeId ?? ''}|${valid.at}`,
    options.finals === undefined ? '' : String(options.finals),
  );
  return typeof id === 'string' ? id : null;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    shortlistPublishProgress(...args: string[]): Result<string | null, Context>;
  }
}

/** Orders stream ids (`<ms>-<seq>`): negative when `a` comes before `b`. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** A syntactically valid stream id, as a client may send back in `Last-Event-ID`. */
export function isStreamId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}

export const STREAM_START = '0-0';

export interface ProgressHubOptions {
  /** A connection used only for SUBSCRIBE (role `subscriber`); the hub owns its listeners. */
  subscriber: Redis;
  /** A fail-fast connection for reading streams (role `producer`). */
  reader: Redis;
  prefix: string;
  logger?: Logger;
  /** How long to wait for the subscriber connection before answering "unavailable". */
  connectTimeoutMs?: number;
}

export interface FollowOptions {
  /**
   * Deliver events after this stream id (exclusive), as from `Last-Event-ID`. `null` starts at the
   * newest event: nothing is replayed.
   */
  after: string | null;
  /** Called for each live event, in stream order, never twice for one id. */
  onMessage(message: ProgressMessage): void;
  /** Called when the feed can no longer guarantee delivery (Redis lost); the client should reconnect. */
  onError?(error: Error): void;
}

/** One client's view of a batch's events. */
export interface Follow {
  /** The stream id the feed starts after (the newest event when `after` was null). */
  readonly startId: string;
  /**
   * True when `after` names an event the stream no longer holds (trimmed or expired): events may
   * have been missed, so the client needs a fresh snapshot.
   */
  readonly gap: boolean;
  /** Events after `after` already in the stream, oldest first. */
  readonly replay: ProgressMessage[];
  /** Starts live delivery (events that arrived meanwhile are delivered first, without repeats). */
  start(): void;
  close(): Promise<void>;
}

type Feed = {
  batchId: string;
  lastId: string;
  live: boolean;
  buffer: ProgressMessage[] | null;
  options: FollowOptions;
  closed: boolean;
  /** The subscriber reconnected while this feed was being set up: catch up when it starts. */
  stale: boolean;
};

/**
 * Fans progress events out to any number of in-process followers through ONE subscriber
 * connection. A follower subscribes before it reads the stream, so the replay and the live
 * events overlap instead of leaving a hole; ids remove the overlap. After the subscriber
 * reconnects, each follower catches up from the stream from its last delivered id.
 */
export class ProgressHub {
  private readonly channels = new Map<string, Set<Feed>>();
  private readonly subscriber: Redis;
  private readonly reader: Redis;
  private readonly onMessageBound = (channel: string, text: string) =>
    this.onMessage(channel, text);
  private readonly onReadyBound = () => void this.catchUpAll();
  private hadReady: boolean;
  private closed = false;

  constructor(private readonly options: ProgressHubOptions) {
    this.subscriber = options.subscriber;
    this.reader = options.reader;
    this.hadReady = this.subscriber.status === 'ready';
    this.subscriber.on('message', this.onMessageBound);
    this.subscriber.on('ready', this.onReadyBound);
  }

  /** Number of followers currently attached, for metrics and tests. */
  get followers(): number {
    let n = 0;
    for (const feeds of this.channels.values()) n += feeds.size;
    return n;
  }

  /**
   * Follows a batch's events. Throws `AppError('unavailable')` when Redis cannot be reached, so
   * the route answers 503 at once.
   */
  async follow(batchId: string, options: FollowOptions): Promise<Follow> {
    if (this.closed) throw unavailable();
    const channel = batchEventsChannel(this.options.prefix, batchId);
    const feed: Feed = {
      batchId,
      lastId: STREAM_START,
      live: false,
      buffer: [],
      options,
      closed: false,
      stale: false,
    };
    let feeds = this.channels.get(channel);
    if (!feeds) {
      feeds = new Set();
      this.channels.set(channel, feeds);
    }
    feeds.add(feed);
    const detach = async () => {
      if (feed.closed) return;
      feed.closed = true;
      const current = this.channels.get(channel);
      if (!current) return;
      current.delete(feed);
      if (current.size === 0) {
        this.channels.delete(channel);
        // Not awaited: while Redis is away the command waits in the offline queue, and commands
        // keep their order, so a later SUBSCRIBE of the same channel still wins.
        void this.subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
    try {
      await this.ensureReady();
      await this.subscriber.subscribe(channel);
      const stream = batchEventsStream(this.options.prefix, batchId);
      let replay: ProgressMessage[] = [];
      let gap = false;
      let startId: string;
      if (options.after === null) {
        const newest = (await this.reader.xrevrange(stream, '+', '-', 'COUNT', 1)) as Entry[];
        startId = newest[0]?.[0] ?? STREAM_START;
      } else {
        startId = options.after;
        if (options.after === STREAM_START) {
          replay = toMessages(await this.reader.xrange(stream, '-', '+'));
        } else {
          const entries = toMessages(await this.reader.xrange(stream, options.after, '+'));
          gap = entries[0]?.id !== options.after;
          replay = gap ? entries : entries.slice(1);
        }
      }
      feed.lastId = replay.at(-1)?.id ?? startId;
      return {
        startId,
        gap,
        replay,
        start: () => {
          if (feed.stale) void this.catchUp([feed]);
          else this.flush(feed);
        },
        close: detach,
      };
    } catch (error) {
      await detach();
      if (error instanceof AppError) throw error;
      throw unavailable(error);
    }
  }

  /** Detaches every follower and stops listening. Does not close the connections it was given. */
  async close(): Promise<void> {
    this.closed = true;
    const channels = [...this.channels.keys()];
    for (const feeds of this.channels.values()) for (const feed of feeds) feed.closed = true;
    this.channels.clear();
    this.subscriber.off('message', this.onMessageBound);
    this.subscriber.off('ready', this.onReadyBound);
    if (channels.length > 0 && this.subscriber.status === 'ready')
      await this.subscriber.unsubscribe(...channels).catch(() => undefined);
  }

  private async ensureReady(): Promise<void> {
    if (this.subscriber.status === 'ready' && this.reader.status === 'ready') return;
    const timeoutMs = this.options.connectTimeoutMs ?? 1_000;
    const ready = (redis: Redis) => {
      // A lazily connecting subscriber connects on first use.
      if (redis.status === 'wait') void redis.connect().catch(() => undefined);
      return redis.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => {
              redis.off('ready', onReady);
              reject(unavailable());
            }, timeoutMs);
            const onReady = () => {
              clearTimeout(timer);
              resolve();
            };
            redis.once('ready', onReady);
          });
    };
    await Promise.all([ready(this.subscriber), ready(this.reader)]);
  }

  private onMessage(channel: string, text: string): void {
    const feeds = this.channels.get(channel);
    if (!feeds) return;
    let message: ProgressMessage;
    try {
      const { id, ...event } = JSON.parse(text) as { id: unknown };
      if (typeof id !== 'string' || !isStreamId(id)) throw new Error('bad id');
      message = { id, event: ProgressEvent.parse(event) };
    } catch (error) {
      this.options.logger?.warn('ignoring a malformed progress message', { channel, error });
      return;
    }
    for (const feed of feeds) {
      if (feed.buffer) feed.buffer.push(message);
      else this.deliver(feed, message);
    }
  }

  private deliver(feed: Feed, message: ProgressMessage): void {
    if (feed.closed || compareStreamIds(message.id, feed.lastId) <= 0) return;
    feed.lastId = message.id;
    try {
      feed.options.onMessage(message);
    } catch (error) {
      this.options.logger?.warn('a progress follower threw', { error });
    }
  }

  private flush(feed: Feed): void {
    const buffered = feed.buffer ?? [];
    feed.buffer = null;
    feed.live = true;
    for (const message of buffered) this.deliver(feed, message);
  }

  /** After a reconnect, events published while we were away are only in the streams. */
  private async catchUpAll(): Promise<void> {
    if (!this.hadReady) {
      this.hadReady = true;
      return;
    }
    // Buffer every live feed before the first await: re-subscribed channels deliver at once, and
    // a live event delivered before the catch-up would move lastId past the missed ones.
    const live: Feed[][] = [];
    for (const feeds of this.channels.values()) {
      const group: Feed[] = [];
      for (const feed of feeds) {
        if (feed.closed) continue;
        if (feed.live) {
          feed.buffer ??= [];
          group.push(feed);
        } else {
          // Still being set up: it may have read the stream before the events published while
          // the subscriber was away, so it catches up when it starts.
          feed.stale = true;
        }
      }
      if (group.length > 0) live.push(group);
    }
    for (const group of live) await this.catchUp(group);
  }

  /**
   * Delivers what a feed missed from the stream, then what arrived live meanwhile. Live events
   * are buffered from the (re)subscription on, so nothing falls between the two.
   */
  private async catchUp(feeds: Feed[]): Promise<void> {
    const open = feeds.filter((f) => !f.closed);
    if (open.length === 0) return;
    for (const feed of open) {
      feed.stale = false;
      feed.buffer ??= [];
    }
    try {
      await this.subscriber.subscribe(batchEventsChannel(this.options.prefix, open[0]!.batchId));
      for (const feed of open) {
        const stream = batchEventsStream(this.options.prefix, feed.batchId);
        const missed = toMessages(await this.reader.xrange(stream, `(${feed.lastId}`, '+'));
        for (const message of missed) this.deliver(feed, message);
        this.flush(feed);
      }
    } catch (error) {
      for (const feed of open) {
        if (feed.closed) continue;
        feed.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

type Entry = [id: string, fields: string[]];

function toMessages(entries: Entry[]): ProgressMessage[] {
  const out: ProgressMessage[] = [];
  for (const [id, fields] of entries) {
    const index = fields.indexOf('e');
    const raw = index >= 0 ? fields[index + 1] : undefined;
    if (raw === undefined) continue;
    const parsed = ProgressEvent.safeParse(JSON.parse(raw));
    if (parsed.success) out.push({ id, event: parsed.data });
  }
  return out;
}

function unavailable(cause?: unknown): AppError {
  return new AppError('unavailable', 'Live progress is unavailable right now; try again shortly.', {
    cause,
    extra: { retryAfterSeconds: 2 },
  });
}

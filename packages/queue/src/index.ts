export { createRedis, waitForRedis, type RedisRole, type Redis } from './redis';
export { Producer, type ProducerOptions, type EnqueueOptions, type BulkItem } from './producer';
export { createWorker, type Processor, type ProcessorMap, type TypedWorkerOptions } from './worker';
export { registerQueueMetrics, readQueueDepth, type QueueDepth } from './metrics';
export { UnrecoverableError, type Job, type Worker, type Queue } from 'bullmq';
export {
  publishProgress,
  defineProgressScript,
  batchEventsStream,
  compareStreamIds,
  isStreamId,
  ProgressHub,
  STREAM_START,
  DEFAULT_PROGRESS_MAXLEN,
  DEFAULT_PROGRESS_TTL_SECONDS,
  type ProgressMessage,
  type PublishProgressOptions,
  type ProgressHubOptions,
  type FollowOptions,
  type Follow,
} from './progress';
export {
  recordThroughput,
  readThroughput,
  throughputKey,
  THROUGHPUT_TTL_SECONDS,
  MAX_THROUGHPUT_MINUTES,
  type AnalysisOutcome,
  type ThroughputPoint,
} from './throughput';

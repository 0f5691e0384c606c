import winston from 'winston';
import { redact, redactString } from './redact';

export type Logger = winston.Logger;

export interface LoggerOptions {
  /** The app or module name, e.g. `gateway`, `resume-worker`. */
  component: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture them. */
  stream?: NodeJS.WritableStream;
  /** Turns redaction off. Only for local debugging; never in production. */
  unsafeNoRedaction?: boolean;
}

const redactFormat = winston.format((info) => {
  const safe = redact({ ...info }) as Record<string, unknown>;
  for (const key of Object.keys(info)) delete (info as Record<string, unknown>)[key];
  Object.assign(info, safe);
  // winston keeps level/message in symbol-keyed fields too; scrub the message it prints.
  info.message = typeof safe.message === 'string' ? redactString(safe.message) : safe.message;
  return info;
});

/**
 * A JSON-lines logger with PII and secret redaction on by default. Use `logger.child({ requestId })`
 * to carry request ids into every line of a request or job.
 */
export function createLogger(options: LoggerOptions): Logger {
  const formats = [
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    ...(options.unsafeNoRedaction ? [] : [redactFormat()]),
    winston.format.json(),
  ];
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { component: options.component },
    format: winston.format.combine(...formats),
    transports: [transport],
  });
}

export { createLogger, type Logger, type LoggerOptions } from './logger';
export { redact, redactString, REDACTED } from './redact';
export { createRegistry, httpMetricsMiddleware, prom, type Registry } from './metrics';
export { createHealth, type Health, type HealthCheck, type HealthReport } from './health';
export { createShutdown, type Shutdown } from './shutdown';
export { startOpsServer } from './ops-server';

export * from './domain';
export * from './errors';
export * from './queues';
export * from './api';
export * from './ids';
export * from './email-api';

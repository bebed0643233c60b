export * from './abort';
export * from './backoff';
export * from './credentials';
export * from './endpoints';
export * from './errors';
export * from './logger';
export * from './rate-limiter';
export * from './retry-after';

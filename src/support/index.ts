export * from './base-url';
export * from './client';
export * from './errors';
export * from './kinds';
export * from './pagination';
export type { PageEnvelope } from './schemas';

export * from './action';
export * from './agent-status';
export * from './chat-actions';
export * from './messages';
export * from './queries';
export * from './structured';
export * from './subscriptions';
export { isHttpUrl } from './validate';
export * from './catalog';

export { RedisSessionPool, type RedisSessionPoolOptions } from './redis-session-pool';

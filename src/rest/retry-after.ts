export { parseRetryAfter } from '../shared/retry-after';

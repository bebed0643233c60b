/**
 * The queue-mode end-to-end suite (test/e2e/queue.e2e.ts): a real n8n cluster (Postgres, Redis,
 * main, two workers, a webhook processor; e2e/queue-cluster.ts). `npm run test:e2e:queue`.
 * Separate from `npm run test:e2e` (whose config leaves this file out): it starts five more
 * processes and takes a few minutes.
 *
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
	...base,
	testMatch: ['**/test/e2e/queue.e2e.ts', '**/test/e2e/queue-*.e2e.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	testTimeout: 180_000,
};

/**
 * The end-to-end suite: the real n8n (e2e/n8n-instance.ts) with this package installed, the three
 * example workflows and the simulator. Separate from the default jest run because one suite takes
 * about a minute (and the first run on a fresh machine installs n8n, 5 to 8 minutes).
 * `npm run test:e2e`; `npm test` runs it after the other suites.
 *
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	// The queue-mode cluster suite has its own config and script (jest.queue.config.js, npm run test:e2e:queue).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/queue(-[^/]*)?\\.e2e\\.ts$'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.check.json' }],
	},
	// Long, for this suite only: n8n starts in beforeAll, and a first run installs it.
	testTimeout: 120_000,
	maxWorkers: 1,
};

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// tsconfig.check.json sets isolatedModules, so ts-jest only transpiles: type errors are
		// caught by `npm run typecheck`, and the suite stays fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.check.json' }],
	},
	setupFiles: ['<rootDir>/test/helpers/n8n/env.ts'],
	testTimeout: 20000,
	// Every suite starts its own simulator on an ephemeral port, so suites can run in parallel.
	maxWorkers: 2,
};

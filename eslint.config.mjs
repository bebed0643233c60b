import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's community-node rules are for code that runs inside n8n; dev tooling is plain Node.
const communityNodeRulesOff = Object.fromEntries(
	configWithoutCloudSupport
		.flatMap((entry) => Object.keys(entry.rules ?? {}))
		.filter((name) => name.startsWith('@n8n/community-nodes/'))
		.map((name) => [name, 'off']),
);

export default [
	...configWithoutCloudSupport,
	{
		// The one exception to n8n's community-node rules, explained in the README: the package needs
		// ws and undici at runtime (a persistent WebSocket session and a keep-alive HTTP pool), so it is
		// a self-hosted (unverified) community package and cannot run on n8n Cloud.
		files: ['package.json'],
		//
		// "overrides" pins isolated-vm 5.0.4 for the dev-only n8n-workflow/n8n-core test install on
		// Node 20 (isolated-vm 7 needs Node 24); npm ignores a dependency's overrides, so users are
		// unaffected.
		rules: {
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@n8n/community-nodes/no-overrides-field': 'off',
		},
	},
	{
		// src/ is the framework-free core: it imports nothing from n8n, so it throws its own typed
		// errors (src/shared/errors.ts) and the node layer maps them to NodeApiError/NodeOperationError.
		files: ['src/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The boundaries of shared/design/ARCHITECTURE.md: src/ is the framework-free core that every
		// node shares, so it imports nothing from n8n, the nodes or the simulator.
		files: ['src/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-core', '@n8n/*', 'n8n-nodes-base'],
							message: 'src/ is framework-free: map its errors and types in nodes/ instead.',
						},
						{
							group: ['**/nodes/**', '**/credentials/**'],
							message: 'src/ is shared by the nodes; it must not import them.',
						},
						{
							group: ['**/simulator', '**/simulator/**'],
							message: 'The simulator is dev tooling, not shipped: src/ must not import it.',
						},
					],
					paths: [
						{
							name: 'ws',
							message:
								'WebSockets are opened in src/shared/websocket.ts only (openWebSocket: proxies, one place).',
						},
						{
							name: 'undici',
							message:
								'HTTP goes through src/shared/http.ts only (leasePool, sendOnce: pools, proxies, one place).',
						},
					],
				},
			],
		},
	},
	{
		// The one socket module and the one HTTP module (the patterns above still apply to them).
		files: ['src/shared/websocket.ts', 'src/shared/http.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-core', '@n8n/*', 'n8n-nodes-base'],
							message: 'src/ is framework-free.',
						},
						{
							group: ['**/nodes/**', '**/credentials/**', '**/simulator', '**/simulator/**'],
							message: 'src/ imports no nodes, credentials or simulator.',
						},
					],
				},
			],
		},
	},
	{
		// The simulator plays Zendesk from the references; importing the client would let it share the client's guesses.
		files: ['simulator/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/src', '**/src/**', '**/nodes/**'],
							message:
								'The simulator must not import the client: it plays Zendesk from the references alone.',
						},
					],
				},
			],
		},
	},
	{
		// Dev tooling and tests are not shipped (package.json "files" is dist only).
		files: ['simulator/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
		rules: {
			...communityNodeRulesOff,
			'no-console': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
	{ ignores: ['dist/**', '**/node_modules/**', 'coverage/**', 'tmp/**', 'jest.config.js'] },
];

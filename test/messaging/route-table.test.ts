import { fillPath, ROUTES } from '../../src/messaging/routes';

/**
 * Every method and path of the spec's `paths` below /v2/apps/{appId}
 * (shared/reference/sunshine-conversations-openapi.yaml), copied as the spec writes them.
 */
const SPEC_ROUTES = new Set([
	'POST /keys',
	'GET /keys',
	'GET /keys/{keyId}',
	'DELETE /keys/{keyId}',
	'POST /attachments',
	'POST /attachments/remove',
	'POST /conversations',
	'GET /conversations',
	'GET /conversations/{conversationId}',
	'PATCH /conversations/{conversationId}',
	'DELETE /conversations/{conversationId}',
	'POST /conversations/{conversationId}/join',
	'GET /conversations/{conversationId}/participants',
	'POST /conversations/{conversationId}/leave',
	'POST /conversations/{conversationId}/messages',
	'GET /conversations/{conversationId}/messages',
	'DELETE /conversations/{conversationId}/messages',
	'DELETE /conversations/{conversationId}/messages/{messageId}',
	'POST /conversations/{conversationId}/activity',
	'POST /conversations/{conversationId}/passControl',
	'POST /conversations/{conversationId}/releaseControl',
	'POST /conversations/{conversationId}/offerControl',
	'POST /conversations/{conversationId}/acceptControl',
	'POST /conversations/{conversationId}/download',
	'POST /conversations/{conversationId}/conversionEvents',
	'POST /integrations',
	'GET /integrations',
	'GET /integrations/{integrationId}',
	'PATCH /integrations/{integrationId}',
	'DELETE /integrations/{integrationId}',
	'POST /integrations/{integrationId}/keys',
	'GET /integrations/{integrationId}/keys',
	'GET /integrations/{integrationId}/keys/{keyId}',
	'DELETE /integrations/{integrationId}/keys/{keyId}',
	'POST /integrations/{integrationId}/webhooks',
	'GET /integrations/{integrationId}/webhooks',
	'GET /integrations/{integrationId}/webhooks/{webhookId}',
	'PATCH /integrations/{integrationId}/webhooks/{webhookId}',
	'DELETE /integrations/{integrationId}/webhooks/{webhookId}',
	'POST /switchboards',
	'GET /switchboards',
	'PATCH /switchboards/{switchboardId}',
	'DELETE /switchboards/{switchboardId}',
	'POST /switchboards/{switchboardId}/switchboardIntegrations',
	'GET /switchboards/{switchboardId}/switchboardIntegrations',
	'PATCH /switchboards/{switchboardId}/switchboardIntegrations/{switchboardIntegrationId}',
	'DELETE /switchboards/{switchboardId}/switchboardIntegrations/{switchboardIntegrationId}',
	'POST /users',
	'GET /users',
	'GET /users/{userIdOrExternalId}',
	'PATCH /users/{userIdOrExternalId}',
	'DELETE /users/{userIdOrExternalId}',
	'POST /users/{userIdOrExternalId}/clients',
	'GET /users/{userIdOrExternalId}/clients',
	'DELETE /users/{userIdOrExternalId}/clients/{clientId}',
	'GET /users/{userIdOrExternalId}/devices',
	'GET /users/{userIdOrExternalId}/devices/{deviceId}',
	'DELETE /users/{userIdOrExternalId}/personalinformation',
	'POST /users/{zendeskId}/sync',
]);

const table = Object.entries(ROUTES);

describe('route table', () => {
	it.each(table)('%s is a route of the spec', (_, route) => {
		expect(SPEC_ROUTES.has(`${route.method} ${route.path}`)).toBe(true);
	});

	it('names each method and path once', () => {
		const keys = table.map(([, r]) => `${r.method} ${r.path}`);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('GET, PATCH and DELETE are repeated after a 5xx; a POST only when repeating leaves the same state', () => {
		for (const [name, route] of table) {
			if (route.method !== 'POST') expect([name, route.idempotent]).toEqual([name, true]);
		}
		const repeatablePosts = table
			.filter(([, r]) => r.method === 'POST' && r.idempotent)
			.map(([name]) => name);
		expect(repeatablePosts.sort()).toEqual([
			'acceptControl',
			'offerControl',
			'passControl',
			'postActivity',
			'releaseControl',
		]);
	});

	it('fills placeholders as single encoded segments, and a missing one is a bug', () => {
		expect(fillPath(ROUTES.deleteMessage.path, { conversationId: 'a/b', messageId: '?#%' })).toBe(
			'/conversations/a%2Fb/messages/%3F%23%25',
		);
		expect(() => fillPath(ROUTES.getUser.path, {})).toThrow(
			'no value for {userIdOrExternalId} in /users/{userIdOrExternalId}',
		);
	});

	it('reads an answer against the route’s schema, naming the route when it does not match', () => {
		expect(ROUTES.getUser.read({ user: { id: 'u1', extra: 1 } })).toEqual({ id: 'u1', extra: 1 });
		expect(() => ROUTES.getUser.read({ users: [] })).toThrow(
			'Sunshine Conversations GET /users/{userIdOrExternalId} answered an unexpected body: user: Required',
		);
		expect(
			ROUTES.listParticipants.read({
				participants: [{ id: 'p', userId: 'u' }],
				meta: { hasMore: true, afterCursor: 'c' },
			}),
		).toEqual({
			items: [{ id: 'p', userId: 'u' }],
			hasMore: true,
			afterCursor: 'c',
		});
		expect(() => ROUTES.postMessage.read({ messages: [] })).toThrow(
			'POST /conversations/{conversationId}/messages created no message',
		);
		expect(ROUTES.deleteMessage.read({})).toBeUndefined();
	});
});

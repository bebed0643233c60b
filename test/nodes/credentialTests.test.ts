import type { ICredentialTestFunctions, INodeType } from 'n8n-workflow';

import { zendeskChatApiTest, zendeskMessagingApiTest } from '../../nodes/shared/credentialTests';
import { ZendeskChat } from '../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskChatTrigger } from '../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import { ZendeskMessaging } from '../../nodes/ZendeskMessaging/ZendeskMessaging.node';
import { ZendeskMessagingTrigger } from '../../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node';
import { SIM_SUNSHINE, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';

/**
 * The credentials' "Test" button (nodes' `testedBy` functions, which n8n 1.x and 2.x call alike)
 * against the simulator; the real n8n's own call of them is in test/e2e.
 */
describe('credential tests', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());

	// n8n passes a CredentialTestContext; these functions do not use it.
	const ctx = {} as ICredentialTestFunctions;
	const chat = (data: Record<string, unknown>) =>
		zendeskChatApiTest.call(ctx, {
			id: '',
			name: 'test',
			type: 'zendeskChatApi',
			data: { host: 'custom', customBaseUrl: sim.urls.base, ...data },
		});
	const messaging = (data: Record<string, unknown>) =>
		zendeskMessagingApiTest.call(ctx, {
			id: '',
			name: 'test',
			type: 'zendeskMessagingApi',
			data: {
				host: 'custom',
				customBaseUrl: sim.urls.base,
				appId: SIM_SUNSHINE.appId,
				keyId: SIM_SUNSHINE.keyId,
				keySecret: SIM_SUNSHINE.keySecret,
				authType: 'basic',
				...data,
			},
		});

	it('Zendesk Chat: OK for a working token; a refused token, an unknown host path and a bad subdomain each say what to fix', async () => {
		expect(await chat({ accessToken: SIM_TOKENS.bot })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await chat({ accessToken: SIM_TOKENS.revoked })).toEqual({
			status: 'Error',
			message:
				'Zendesk refused the access token: it is wrong, expired or revoked. Create a new one.',
		});
		expect(
			await chat({ accessToken: SIM_TOKENS.bot, customBaseUrl: `${sim.urls.base}/nothing-here` }),
		).toEqual({
			status: 'Error',
			message: 'No Chat API at this host: check the subdomain (or the custom base URL).',
		});
		expect(
			await chat({ accessToken: SIM_TOKENS.bot, host: 'zendesk', subdomain: 'not a subdomain' }),
		).toEqual({
			status: 'Error',
			message: expect.stringContaining('is not a Zendesk subdomain'),
		});
		expect(await chat({ accessToken: '  ' })).toEqual({
			status: 'Error',
			message: 'The credential has no access token.',
		});
	});

	it('Zendesk Messaging: OK with basic and JWT; a wrong secret and a wrong app each say what to fix', async () => {
		expect(await messaging({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await messaging({ authType: 'jwt' })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await messaging({ keySecret: 'wrong' })).toEqual({
			status: 'Error',
			message: 'The key id or secret is wrong (or the key was deleted).',
		});
		expect(await messaging({ appId: 'no-such-app' })).toEqual({
			status: 'Error',
			message: 'No such app: check the App ID and the subdomain.',
		});
	});

	it.each<[string, INodeType, string, string]>([
		['Zendesk Chat', new ZendeskChat(), 'zendeskChatApi', 'zendeskChatApiTest'],
		['Zendesk Chat Trigger', new ZendeskChatTrigger(), 'zendeskChatApi', 'zendeskChatApiTest'],
		['Zendesk Messaging', new ZendeskMessaging(), 'zendeskMessagingApi', 'zendeskMessagingApiTest'],
		[
			'Zendesk Messaging Trigger',
			new ZendeskMessagingTrigger(),
			'zendeskMessagingApi',
			'zendeskMessagingApiTest',
		],
	])(
		'%s names the test of its credential and carries it (n8n looks it up on whichever node it finds first)',
		(_name, node, credential, test) => {
			expect(node.description.credentials?.find((c) => c.name === credential)?.testedBy).toBe(test);
			expect(typeof node.methods?.credentialTest?.[test]).toBe('function');
		},
	);
});

import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, textOf, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

interface Case {
	title: string;
	parameters: IDataObject;
	item?: IDataObject;
	message: string;
	description: string;
}

const escalate = (parameters: IDataObject): IDataObject => ({
	resource: 'conversation',
	operation: 'escalate',
	userExternalId: 'validation-user',
	summary: 'A summary',
	...parameters,
});
const forward = (parameters: IDataObject): IDataObject => ({
	resource: 'conversation',
	operation: 'forwardUserMessage',
	userExternalId: 'validation-user',
	text: 'Hello',
	...parameters,
});
const send = (parameters: IDataObject): IDataObject => ({
	resource: 'message',
	operation: 'sendText',
	userExternalId: 'validation-user',
	text: 'Hello',
	...parameters,
});

const long = 'x'.repeat(5000);
const emoji = (count: number) => '😀'.repeat(count);
const invalidJsonMessage = (() => {
	try {
		JSON.parse('[{"role": "user",}]');
	} catch (error) {
		return (error as Error).message;
	}
	return '';
})();
const handoffWithPlaceholder = Buffer.byteLength(
	JSON.stringify({ note: 'x'.repeat(4000), first_message_id: 'x'.repeat(64) }),
	'utf8',
);

const cases: Case[] = [
	// Escalate to Agent
	{
		title: 'escalate: empty summary',
		parameters: escalate({ summary: '={{ $json.summary }}' }),
		item: { summary: '' },
		message: 'Summary: summary must be a non-empty string, got an empty string',
		description: 'Field: Summary (summary).',
	},
	{
		title: 'escalate: summary over 4096 characters',
		parameters: escalate({ summary: '={{ $json.summary }}' }),
		item: { summary: 'x'.repeat(4097) },
		message:
			'Summary: summary is 4097 characters long; Sunshine Conversations accepts at most 4096',
		description: 'Field: Summary (summary). Split the text into several messages or shorten it.',
	},
	{
		title: 'escalate: missing external ID',
		parameters: escalate({ userExternalId: '={{ $json.sessionId }}' }),
		item: {},
		message: 'User External ID: user.externalId must be a non-empty string, got nothing',
		description: 'Field: User External ID (user.externalId).',
	},
	{
		title: 'escalate: a tag with a space',
		parameters: escalate({ ticketFields: { tags: 'vip, two words' } }),
		message:
			'Tags: ticket.tags[1] must be a non-empty tag without spaces or commas, got "two words"',
		description: 'Field: Tags (ticket.tags[1]). Use e.g. "vip" or "order_issue".',
	},
	{
		title: 'escalate: a group ID that is not a number',
		parameters: escalate({ ticketFields: { groupId: 'sales' } }),
		message: 'Group: ticket.groupId must be a positive integer id, got "sales"',
		description: 'Field: Group (ticket.groupId). Copy the numeric id from Zendesk Admin Center.',
	},
	{
		title: 'escalate: a requester email that is not one',
		parameters: escalate({ ticketFields: { requesterEmail: 'grace at example' } }),
		message: 'Requester Email: ticket.requesterEmail is not an email address',
		description: 'Field: Requester Email (ticket.requesterEmail).',
	},
	{
		title: 'escalate: a custom ticket field ID that is not a number',
		parameters: escalate({
			ticketFields: { customFields: { field: [{ id: 'order', value: '42' }] } },
		}),
		message:
			'Custom Ticket Fields: ticket.customFields.order must be a positive integer id, got "order"',
		description:
			'Field: Custom Ticket Fields (ticket.customFields.order). Copy the numeric id from Zendesk Admin Center.',
	},
	{
		title: 'escalate: handoff metadata over 4 KB',
		parameters: escalate({ options: { metadata: JSON.stringify({ note: long }) } }),
		message: `Handoff Metadata: metadata is ${5000 + 11} bytes as JSON; the limit is 4096`,
		description: 'Field: Handoff Metadata (metadata). Send fewer or shorter metadata values.',
	},
	{
		title: 'escalate: handoff metadata that only the first_message_id pushes over 4 KB',
		parameters: escalate({ options: { metadata: JSON.stringify({ note: 'x'.repeat(4000) }) } }),
		message: `Handoff Metadata: metadata is ${handoffWithPlaceholder} bytes as JSON; the limit is 4096`,
		description: 'Field: Handoff Metadata (metadata). Send fewer or shorter metadata values.',
	},
	{
		title: 'escalate: nested handoff metadata',
		parameters: escalate({ options: { metadata: '{"order": {"id": 42}}' } }),
		message:
			'Handoff Metadata: metadata.order is an object; metadata values must be strings, numbers or booleans',
		description:
			'Field: Handoff Metadata (metadata.order). Flatten nested values, e.g. {"order.id": "123"} instead of {"order": {"id": "123"}}.',
	},
	{
		title: 'escalate: handoff metadata that is not JSON',
		parameters: escalate({ options: { metadata: '[{"role": "user",}]' } }),
		message: `Handoff Metadata: not valid JSON (${invalidJsonMessage})`,
		description:
			'Field: Handoff Metadata. Check quotes, commas and brackets, or build the value with an expression.',
	},
	{
		title: 'escalate: an empty transcript line',
		parameters: escalate({ transcriptSource: 'json', transcriptJson: '={{ $json.history }}' }),
		item: {
			history: [
				{ role: 'user', text: 'Hi' },
				{ role: 'bot', text: '' },
			],
		},
		message: 'Transcript: transcript[1].text must be a non-empty string, got an empty string',
		description: 'Field: Transcript (transcript[1].text).',
	},
	{
		title: 'escalate: a transcript line over 4096 characters (fixed collection)',
		parameters: escalate({
			transcriptSource: 'fields',
			transcriptMessages: { message: [{ role: 'user', text: long }] },
		}),
		message:
			'Transcript: transcript[0].text is 5000 characters long; Sunshine Conversations accepts at most 4096',
		description:
			'Field: Transcript (transcript[0].text). Split the text into several messages or shorten it.',
	},
	{
		title: 'escalate: a transcript role other than user or bot',
		parameters: escalate({ transcriptSource: 'json', transcriptJson: '={{ $json.history }}' }),
		item: {
			history: [
				{ role: 'user', text: 'Hi' },
				{ role: 'agent', text: 'Hello' },
			],
		},
		message: 'Transcript [1]: role must be "user" or "bot", got "agent"',
		description:
			'Field: Transcript [1]. Use "user" for what the customer wrote and "bot" for the bot\'s answers.',
	},
	{
		title: 'escalate: a transcript that is not a list',
		parameters: escalate({
			transcriptSource: 'json',
			transcriptJson: '{"role": "user", "text": "Hi"}',
		}),
		message: 'Transcript (JSON): must be a list of {"role": "user" or "bot", "text": "…"}',
		description:
			'Field: Transcript (JSON). e.g. [{"role": "user", "text": "Hi"}, {"role": "bot", "text": "Hello!"}].',
	},
	{
		title: 'escalate: a transcript that is not JSON',
		parameters: escalate({ transcriptSource: 'json', transcriptJson: '[{"role": "user",}]' }),
		message: `Transcript (JSON): not valid JSON (${invalidJsonMessage})`,
		description:
			'Field: Transcript (JSON). Check quotes, commas and brackets, or build the value with an expression.',
	},
	{
		title: 'escalate: a conversation ID of ".."',
		parameters: escalate({ conversationMode: 'id', conversationId: '..' }),
		message: 'Conversation ID: conversationId cannot be ".."',
		description: 'Field: Conversation ID (conversationId). Use the id Zendesk returned.',
	},
	{
		title: 'escalate: a user email that is not one',
		parameters: escalate({ options: { userEmail: 'nobody' } }),
		message: 'User Email: profile.email is not an email address',
		description: 'Field: User Email (profile.email).',
	},
	// Forward User Message
	{
		title: 'forward: empty text',
		parameters: forward({ text: '={{ $json.chatInput }}' }),
		item: { chatInput: '' },
		message: 'Text: text must be a non-empty string, got an empty string',
		description: 'Field: Text (text).',
	},
	{
		title: 'forward: text over 4096 characters',
		parameters: forward({ text: '={{ $json.chatInput }}' }),
		item: { chatInput: long },
		message: 'Text: text is 5000 characters long; Sunshine Conversations accepts at most 4096',
		description: 'Field: Text (text). Split the text into several messages or shorten it.',
	},
	{
		title: 'forward: missing external ID',
		parameters: forward({ userExternalId: '={{ $json.sessionId }}' }),
		item: { sessionId: '' },
		message: 'User External ID: userExternalId must be a non-empty string, got an empty string',
		description: 'Field: User External ID (userExternalId).',
	},
	{
		title: 'forward: metadata over 4 KB',
		parameters: forward({ options: { metadata: JSON.stringify({ note: long }) } }),
		message: `Metadata: metadata is ${5000 + 11} bytes as JSON; the limit is 4096`,
		description: 'Field: Metadata (metadata). Send fewer or shorter metadata values.',
	},
	// Message › Send Text (what Send as Business was): the core's content path, named as the editor shows it
	{
		title: 'send: empty text',
		parameters: send({ text: '={{ $json.reply }}' }),
		item: { reply: '' },
		message: 'Text must be a non-empty string, got an empty string',
		description: 'Field: Text (content.text).',
	},
	{
		title: 'send: 4097 characters of emoji (counted as characters, not UTF-16 units)',
		parameters: send({ text: '={{ $json.reply }}' }),
		item: { reply: emoji(4097) },
		message: 'Text is 4097 characters long; the limit is 4096 (spec: maxLength 4096)',
		description: 'Field: Text (content.text). Shorten it.',
	},
	{
		title: 'send: missing external ID to find the conversation',
		parameters: send({ userExternalId: '={{ $json.sessionId }}' }),
		item: { sessionId: '' },
		message: 'User External ID must be a non-empty string, got an empty string',
		description: 'Field: User External ID (userExternalId).',
	},
	{
		title: 'send: a display name over 255 characters',
		parameters: send({ displayName: 'n'.repeat(256) }),
		message: 'Display Name is 256 characters long; the limit is 255',
		description: 'Field: Display Name (displayName). Shorten it.',
	},
	{
		title: 'send: an avatar URL that is not one',
		parameters: send({ options: { avatarUrl: 'bot.png' } }),
		message: 'Avatar URL is not a valid URL',
		description:
			'Field: Avatar URL (avatarUrl). Use an absolute URL such as https://example.com/hook.',
	},
	{
		title: 'send: metadata that is a list',
		parameters: send({ options: { metadata: '["a"]' } }),
		message: 'Metadata must be a flat object, got an array',
		description: 'Field: Metadata (metadata). Pass an object such as {"lang": "en"}.',
	},
	// Release Control, Get, List Messages
	{
		title: 'release: nested metadata',
		parameters: {
			resource: 'conversation',
			operation: 'releaseControl',
			userExternalId: 'validation-user',
			options: { metadata: '{"a": [1]}' },
		},
		message:
			'Metadata: metadata.a is an array; metadata values must be strings, numbers or booleans',
		description:
			'Field: Metadata (metadata.a). Flatten nested values, e.g. {"order.id": "123"} instead of {"order": {"id": "123"}}.',
	},
	{
		title: 'get: missing conversation ID',
		parameters: {
			resource: 'conversation',
			operation: 'get',
			conversationBy: 'conversationId',
			conversationId: '={{ $json.id }}',
		},
		item: { id: '' },
		message: 'Conversation ID: conversationId must be a non-empty string, got an empty string',
		description: 'Field: Conversation ID (conversationId).',
	},
	{
		title: 'list messages: a limit of 0',
		parameters: {
			resource: 'conversation',
			operation: 'listMessages',
			userExternalId: 'validation-user',
			limit: '={{ $json.limit }}',
		},
		item: { limit: 0 },
		message: 'Limit: must be a whole number of at least 1, got 0',
		description: 'Field: Limit. Set Limit to 1 or more, or turn on Return All.',
	},
	// User
	{
		title: 'user create: missing external ID',
		parameters: { resource: 'user', operation: 'create', externalId: '={{ $json.id }}' },
		item: { id: '' },
		message: 'External ID: externalId must be a non-empty string, got an empty string',
		description: 'Field: External ID (externalId).',
	},
	{
		title: 'user create: an email that is not one',
		parameters: {
			resource: 'user',
			operation: 'create',
			externalId: 'validation-user',
			additionalFields: { email: 'grace' },
		},
		message: 'Email: profile.email is not an email address',
		description: 'Field: Email (profile.email).',
	},
	{
		title: 'user create: metadata over 4 KB',
		parameters: {
			resource: 'user',
			operation: 'create',
			externalId: 'validation-user',
			additionalFields: { metadata: JSON.stringify({ note: long }) },
		},
		message: `Metadata: metadata is ${5000 + 11} bytes as JSON; the limit is 4096`,
		description: 'Field: Metadata (metadata). Send fewer or shorter metadata values.',
	},
	{
		title: 'user get: missing user ID',
		parameters: { resource: 'user', operation: 'get', getBy: 'userId', userId: '={{ $json.id }}' },
		item: { id: '' },
		message: 'User ID: userId must be a non-empty string, got an empty string',
		description: 'Field: User ID (userId).',
	},
];

describe('bad input is refused before any request, naming the field', () => {
	it.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
		const run = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), c.parameters, [{ json: c.item ?? {} }]),
		);
		const error = errorOf(run, NODE_NAME);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(c.message);
		expect(error.description).toBe(c.description);
		expect(error.context?.itemIndex).toBe(0);
	});

	it('with Continue On Fail, every bad item gets its own error, still without a request', async () => {
		const run = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				forward({ userExternalId: '={{ $json.id }}', text: '={{ $json.text }}' }),
				[{ json: { id: 'a', text: '' } }, { json: { id: '', text: 'hi' } }],
				{
					onError: 'continueRegularOutput',
				},
			),
		);
		const items = itemsOf(run);
		expect(items).toEqual([
			{
				json: {
					error: 'Text: text must be a non-empty string, got an empty string',
					description: 'Field: Text (text).',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					error: 'User External ID: userExternalId must be a non-empty string, got an empty string',
					description: 'Field: User External ID (userExternalId).',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('accepts 4096 characters of emoji (the limit counts characters)', async () => {
		const harness = messagingHarness(sim);
		const escalated = await runNode(
			harness,
			escalate({ userExternalId: `emoji-${Date.now()}`, summary: emoji(4096) }),
		);
		const [out] = outputOf(escalated, NODE_NAME);
		expect(textOf((out.messages as unknown[])[0])).toBe(emoji(4096));
	});
});

import type { INodePropertyOptions } from 'n8n-workflow';

import { WEBHOOK_TRIGGERS, type WebhookTrigger } from '../../../src/messaging/constants';

/** What each webhook trigger means, in the words of the spec's "Webhook Triggers" table. */
const DESCRIPTIONS: Record<WebhookTrigger, string> = {
	'client:add': 'A channel link starts or an SDK client is created',
	'client:remove': 'A client is removed (by the API, the SDK, or a channel link)',
	'client:update':
		'A client is updated (matched by a channel, activated, or the user unsubscribes)',
	'conversation:create': 'A new conversation is created',
	'conversation:join': 'A participant joins an sdkGroup conversation',
	'conversation:leave': 'A participant leaves an sdkGroup conversation',
	'conversation:remove': 'A conversation is deleted',
	'conversation:message':
		'A new message is sent in a conversation (by the user, the bot or an agent)',
	'conversation:message:delivery:channel': 'A message was delivered to a channel',
	'conversation:message:delivery:failure': 'A message could not be delivered',
	'conversation:message:delivery:user': 'A message was delivered to the user',
	'conversation:postback': 'A user clicks a postback action button',
	'conversation:read': 'A user has read the conversation',
	'conversation:referral': 'A user is referred to a conversation',
	'passthrough:messaging': 'A message arrives with information to forward as is',
	'conversation:typing': 'A user starts or stops typing',
	'switchboard:acceptControl': 'A switchboard integration accepts control of a conversation',
	'switchboard:acceptControl:failure': 'Accepting control of a conversation failed',
	'switchboard:offerControl': 'A switchboard integration is offered control of a conversation',
	'switchboard:offerControl:failure': 'Control of a conversation could not be offered',
	'switchboard:passControl':
		'Control of a conversation passes to another switchboard integration (e.g. to the agent workspace)',
	'switchboard:passControl:failure': 'Passing control of a conversation failed',
	'switchboard:releaseControl':
		'Control of a conversation is released (e.g. the agent solved the ticket)',
	'user:merge': 'Two or more users are merged into one',
	'user:update': "A user is updated (currently: the user's identification)",
	'user:remove': 'A user is deleted',
};

/** "conversation:message:delivery:user" → "Conversation Message Delivery User". */
function displayNameOf(trigger: string): string {
	return trigger
		.split(':')
		.map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2'))
		.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
		.join(' ');
}

/** The Events field: every documented trigger, sorted by name (as n8n lists options). */
export const EVENT_OPTIONS: INodePropertyOptions[] = WEBHOOK_TRIGGERS.map((trigger) => ({
	name: displayNameOf(trigger),
	value: trigger,
	description: DESCRIPTIONS[trigger],
})).sort((a, b) => a.name.localeCompare(b.name));

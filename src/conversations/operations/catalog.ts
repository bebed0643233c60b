import type { AnyOperation } from '../operation';
import {
	leaveChannel,
	addTags,
	inviteAgent,
	listenVisitorChannel,
	transferToDepartment,
} from './chat-actions';
import { agents, channels, departments } from './queries';
import { sendMessage, setTypingIndicator } from './messages';
import { updateAgentStatus, AGENT_STATUSES } from './agent-status';
import {
	sendButtonTemplate,
	sendListTemplate,
	sendPanelTemplate,
	sendPanelTemplateCarousel,
	sendQuickReplies,
} from './structured';
import { chatActivitySubscription, messageSubscription } from './subscriptions';

/** Values the catalog's operations are built with. */
export interface CatalogSample {
	/** A channel (chat) id. */
	channelId: string;
	/** An agent's id, for inviteAgent. */
	agentId: string;
	/** A department's id, for transferToDepartment. */
	departmentId: string;
	/** Every text argument. */
	text: string;
}

export interface CatalogEntry {
	/** e.g. `sendMessage (with options)`. */
	label: string;
	/** Changes nothing in Zendesk: safe to run against a real account. */
	readOnly: boolean;
	operation: AnyOperation;
}

/**
 * Every operation this client can send, each built with `sample` (every optional argument too), so
 * a test or `npm run check:zendesk` can validate all of them against a schema: the simulator's, a
 * variant of it, or a real server's from introspection.
 */
export function operationCatalog(sample: CatalogSample): CatalogEntry[] {
	const { channelId, agentId, departmentId, text } = sample;
	const button = (action: 'reply' | 'link') => ({
		text,
		action,
		value: action === 'link' ? 'https://example.com/a' : text,
	});
	const panel = {
		heading: text,
		paragraph: text,
		imageUrl: 'https://example.com/i.png',
		linkUrl: 'https://example.com/p',
	};
	const fallback = { message: text, options: [text, text] };
	const write = (label: string, operation: AnyOperation): CatalogEntry => ({
		label,
		readOnly: false,
		operation,
	});
	const read = (label: string, operation: AnyOperation): CatalogEntry => ({
		label,
		readOnly: true,
		operation,
	});
	return [
		read('departments', departments()),
		read('agents', agents()),
		read('channels', channels()),
		read('message subscription', messageSubscription()),
		read('chatActivity subscription', chatActivitySubscription()),
		read(
			'chatActivity subscription (MEMBER_JOIN only)',
			chatActivitySubscription({ types: ['MEMBER_JOIN'] }),
		),
		write('sendMessage', sendMessage({ channelId, message: text })),
		write(
			'sendMessage (every argument)',
			sendMessage({ channelId, message: text, msgId: text, options: ['Yes', 'No'], backoff: true }),
		),
		write(
			'sendQuickReplies',
			sendQuickReplies({
				channelId,
				message: text,
				quickReplies: [{ text }, { text, value: text }],
				fallback,
			}),
		),
		write(
			'sendButtonTemplate',
			sendButtonTemplate({
				channelId,
				message: text,
				buttons: [button('reply'), button('link')],
				fallback,
			}),
		),
		write(
			'sendPanelTemplate',
			sendPanelTemplate({ channelId, panel, buttons: [button('reply'), button('link')], fallback }),
		),
		write(
			'sendPanelTemplate (heading only)',
			sendPanelTemplate({ channelId, panel: { heading: text } }),
		),
		write(
			'sendPanelTemplateCarousel',
			sendPanelTemplateCarousel({
				channelId,
				items: [{ panel, buttons: [button('reply')] }, { panel: { heading: text } }],
				fallback,
			}),
		),
		write(
			'sendListTemplate',
			sendListTemplate({
				channelId,
				items: [panel, { heading: text }],
				buttons: [button('link')],
				fallback,
			}),
		),
		write('transferToDepartment', transferToDepartment({ channelId, departmentId, leave: true })),
		write('inviteAgent', inviteAgent({ channelId, agentId, leave: false })),
		write('listenVisitorChannel', listenVisitorChannel({ channelId })),
		write('leaveChannel', leaveChannel({ channelId })),
		write('addTags', addTags({ channelId, tags: ['vip', 'n8n-bot_1'] })),
		write('setTypingIndicator', setTypingIndicator({ channelId, typing: true, backoff: false })),
		...AGENT_STATUSES.map((status) =>
			write(`updateAgentStatus ${status}`, updateAgentStatus({ status })),
		),
	];
}

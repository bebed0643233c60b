import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The channels a message can come from, as `message.source.type` names them. The spec gives no one
 * list for it ("May include one of api, sdk, messenger, or any number of other channels": schema
 * `source.type`), so this is the union of the lists it does give: the channel types of `clientType`,
 * the integration types (android, ios, unity, web are the SDK ones), `destination.type`'s list
 * (which adds api and notification), and `sdk` from `source.type` itself.
 */
const CHANNELS: Array<[name: string, value: string, description?: string]> = [
	['Android SDK', 'android'],
	[
		'API',
		'api',
		'Sent through the Conversations API; also matches api:conversations and other api:… sources',
	],
	['Apple Messages for Business', 'apple'],
	['Email (Mailgun)', 'mailgun'],
	['Facebook Messenger', 'messenger'],
	['Google Business Messages', 'gbm'],
	['Google RCS', 'googlercs'],
	['Instagram', 'instagram'],
	['iOS SDK', 'ios'],
	['KakaoTalk', 'kakao'],
	['LINE', 'line'],
	['Notification API', 'notification'],
	['SDK', 'sdk'],
	['Slack Connect', 'slackconnect'],
	['SMS (MessageBird)', 'messagebird'],
	['SMS (Twilio)', 'twilio'],
	['Telegram', 'telegram'],
	['Unity SDK', 'unity'],
	['Viber', 'viber'],
	['Web Messenger (Web Widget)', 'web'],
	['WeChat', 'wechat'],
	['WhatsApp', 'whatsapp'],
	['X (Twitter)', 'twitter'],
];

/** The Channel filter's options, sorted by name (as n8n lists options). */
export const CHANNEL_OPTIONS: INodePropertyOptions[] = CHANNELS.map(
	([name, value, description]) => ({
		name,
		value,
		...(description ? { description } : {}),
	}),
).sort((a, b) => a.name.localeCompare(b.name));

/** Whether `channel` is one of `chosen`: the same type, or a sub-type of it (`api` covers `api:conversations`). */
export function channelMatches(channel: string | null, chosen: readonly string[]): boolean {
	if (channel === null) return false;
	return chosen.some((value) => channel === value || channel.startsWith(`${value}:`));
}

/**
 * The DATA frames the bench server blasts, pre-serialised. A frame is the shape the Conversations
 * API pushes for the `message` subscription (getting-started, "WebSocket request and response body
 * structure"):
 *
 *   {"payload":{"data":{"message":{"node":{…}}}},"sig":"DATA","subscription_id":"…"}
 *
 * with the node `messageSubscription()` selects (src/conversations/operations/subscriptions.ts).
 * Each template is serialised once and split around the message id, so a frame costs the server
 * one string concatenation and every frame still carries a distinct id (de-duplication sees every
 * one as new, as it would in production).
 */

/** Distinct templates cycled through; 3 of every 4 are a visitor's message, the rest an agent's. */
export const TEMPLATE_COUNT = 64;

/** The filter both consumers apply: the trigger's default "messages from visitors". */
export interface MessageNodeLike {
	id?: unknown;
	from?: { __typename?: unknown } | null;
}

export function isVisitorMessage(node: MessageNodeLike): boolean {
	return node.from?.__typename === 'Visitor';
}

const SENTENCES = [
	'Hi, I ordered a blue jacket last week and it has not arrived yet.',
	'Can you tell me whether the refund for order 48213 went through?',
	'Thanks, that helps a lot!',
	'Is there a discount for annual plans?',
	'My tracking number says delivered but there is nothing at the door.',
	'Could I change the shipping address on my order?',
	'ok',
	'Je voudrais savoir si vous livrez en Belgique. Merci beaucoup !',
];

function relayId(type: string, localId: string | number): string {
	return Buffer.from(
		JSON.stringify([
			['localId', String(localId)],
			['type', type],
		]),
		'utf8',
	).toString('base64');
}

/** The placeholder the message id is spliced in at. */
const ID_MARK = '@@MESSAGE_ID@@';

export interface FrameTemplate {
	/** JSON text up to the message id's opening quote (included). */
	head: string;
	/** JSON text from the message id's closing quote (included) to the end. */
	tail: string;
	visitor: boolean;
}

/** `count` frame templates for subscription `subscriptionId`; template i is a visitor's unless i % 4 === 3. */
export function frameTemplates(subscriptionId: string, count = TEMPLATE_COUNT): FrameTemplate[] {
	const templates: FrameTemplate[] = [];
	for (let i = 0; i < count; i++) {
		const visitor = i % 4 !== 3;
		const chat = 1000 + (i % 16);
		const node = {
			id: ID_MARK,
			msg_id: `c5f0e7a2-0d4e-4c1b-9a57-${String(100000000000 + i)}`,
			content: SENTENCES[i % SENTENCES.length],
			timestamp: 1_735_689_600_000 + i * 1000,
			sender_name: visitor ? `Visitor ${chat}` : 'Alex (support)',
			channel: {
				id: relayId('CHANNEL', `2501.${chat}`),
				raw_id: `2501.${chat}`,
				ip: `203.0.113.${chat % 250}`,
				user_agent:
					'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
				visitor: {
					id: relayId('VISITOR', `2501.${chat}`),
					display_name: `Visitor ${chat}`,
					email: `visitor${chat}@example.com`,
					external_id: null,
					current_country: 'Belgium',
					current_region: 'Brussels',
					current_tags: ['vip', 'returning'],
				},
			},
			from: visitor
				? {
						__typename: 'Visitor',
						display_name: `Visitor ${chat}`,
						id: relayId('VISITOR', `2501.${chat}`),
						current_tags: ['vip', 'returning'],
					}
				: { __typename: 'Agent', display_name: 'Alex (support)', id: relayId('AGENT', 9001) },
		};
		const text = JSON.stringify({
			payload: { data: { message: { node } } },
			sig: 'DATA',
			subscription_id: subscriptionId,
		});
		const where = text.indexOf(ID_MARK);
		templates.push({
			head: text.slice(0, where),
			tail: text.slice(where + ID_MARK.length),
			visitor,
		});
	}
	return templates;
}

/** The relay-style id of the n-th message of a run; distinct for every n. */
export const MESSAGE_ID_PREFIX = 'W1sibG9jYWxJZCIsIm1zZy4';

export function frameText(templates: FrameTemplate[], n: number): string {
	const t = templates[n % templates.length];
	return t.head + MESSAGE_ID_PREFIX + n + t.tail;
}

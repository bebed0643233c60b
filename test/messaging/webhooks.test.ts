import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	conversationMessagePayload,
	createEchoFilter,
	escalate,
	ESCALATION_TRIGGERS,
	EventDeduplicator,
	MessagingClient,
	parseWebhookEnvelope,
	releaseControlPayload,
	sunshineErrorCode,
	verifyWebhookRequest,
	type Integration,
	type WebhookEnvelope,
	type WebhookEvent,
} from '../../src/messaging';
import { HttpError, InvalidInputError, ProtocolError } from '../../src/shared';
import { ManualClock, startSimulator, SIM_SUNSHINE, type Simulator } from '../../simulator';

/**
 * A real webhook receiver, as the n8n trigger will be: it checks X-API-Key, parses the envelope,
 * drops repeats and the bot's own messages, and keeps what is left.
 */
class Receiver {
	readonly server: Server;
	secret = '';
	readonly processed: WebhookEvent[] = [];
	readonly echoes: WebhookEvent[] = [];
	readonly duplicates: string[] = [];
	readonly envelopes: WebhookEnvelope[] = [];
	rejected = 0;
	/** Event ids to process but then answer 500 for, as if the answer had been lost. */
	readonly loseAckFor = new Set<string>();
	isEcho: (message: Parameters<ReturnType<typeof createEchoFilter>>[0]) => boolean = () => false;
	private readonly dedupe: EventDeduplicator;

	constructor(now: () => number) {
		this.dedupe = new EventDeduplicator({ now });
		this.server = createServer((req, res) => {
			void this.handle(req).then(
				(status) => res.writeHead(status).end(),
				() => res.writeHead(500).end(),
			);
		});
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/zendesk?x=1`;
	}

	private async handle(req: IncomingMessage): Promise<number> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (!verifyWebhookRequest(req.headers, this.secret)) {
			this.rejected++;
			return 401;
		}
		let envelope: WebhookEnvelope;
		try {
			envelope = parseWebhookEnvelope(Buffer.concat(chunks));
		} catch (error) {
			return error instanceof ProtocolError ? 400 : 500;
		}
		this.envelopes.push(envelope);
		let status = 200;
		for (const event of envelope.events) {
			if (!this.dedupe.firstSeen(event.id)) {
				this.duplicates.push(event.id);
				continue;
			}
			const message = conversationMessagePayload(event)?.message;
			if (message && this.isEcho(message)) this.echoes.push(event);
			else this.processed.push(event);
			if (this.loseAckFor.has(event.type)) {
				this.loseAckFor.delete(event.type);
				status = 500;
			}
		}
		return status;
	}
}

let sim: Simulator;
let clock: ManualClock;
let client: MessagingClient;
let receiver: Receiver;
let integration: Integration;
let secret: string;

const ORIGIN = 'n8n-workflow-7';

beforeAll(async () => {
	clock = new ManualClock();
	sim = await startSimulator({ clock });
	client = new MessagingClient({
		baseUrl: sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		originTag: ORIGIN,
	});
	receiver = new Receiver(() => clock.now());
	await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
	await client.close();
	await sim.close();
	receiver.server.closeAllConnections();
	await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
});

const settle = () => sim.sunshine.control.settleDeliveries();

describe('integrations and webhooks CRUD', () => {
	it('creates a custom integration with one webhook whose secret comes back', async () => {
		integration = await client.createCustomIntegration({
			displayName: 'n8n escalation',
			webhook: {
				target: receiver.url,
				triggers: [...ESCALATION_TRIGGERS, 'switchboard:passControl'],
				includeFullUser: true,
			},
		});
		expect(integration).toMatchObject({
			type: 'custom',
			status: 'active',
			displayName: 'n8n escalation',
		});
		expect(integration.webhooks).toHaveLength(1);
		const [webhook] = integration.webhooks ?? [];
		expect(webhook).toMatchObject({
			version: 'v2',
			target: receiver.url,
			triggers: ['conversation:message', 'switchboard:releaseControl', 'switchboard:passControl'],
			includeFullUser: true,
		});
		expect(typeof webhook.secret).toBe('string');
		expect(webhook.secret?.length).toBeGreaterThan(0);
		secret = webhook.secret as string;
		receiver.secret = secret;
		receiver.isEcho = createEchoFilter({ integrationIds: [integration.id], originTag: ORIGIN });
	});

	it('lists, gets and renames integrations', async () => {
		const customs = await client.listIntegrations({ types: ['custom'] });
		expect(customs.items.map((i) => i.id)).toContain(integration.id);
		expect(customs.items.every((i) => i.type === 'custom')).toBe(true);
		const firstPage = await client.listIntegrations({ pageSize: 1 });
		expect(firstPage.items).toHaveLength(1);
		expect(firstPage.hasMore).toBe(true);
		const secondPage = await client.listIntegrations({ pageSize: 1, after: firstPage.afterCursor });
		expect(secondPage.items[0].id).not.toBe(firstPage.items[0].id);
		expect((await client.getIntegration(integration.id)).displayName).toBe('n8n escalation');
		expect(
			(await client.updateIntegration(integration.id, { displayName: 'renamed' })).displayName,
		).toBe('renamed');
	});

	it('lists, gets, finds and updates the webhook', async () => {
		const [webhook] = await client.listWebhooks(integration.id);
		expect(webhook.secret).toBe(secret);
		expect(await client.getWebhook(integration.id, webhook.id)).toEqual(webhook);
		expect((await client.findWebhookByTarget(integration.id, receiver.url))?.id).toBe(webhook.id);
		expect(
			await client.findWebhookByTarget(integration.id, 'https://elsewhere.example/hook'),
		).toBeUndefined();
		const updated = await client.updateWebhook(integration.id, webhook.id, {
			triggers: [...ESCALATION_TRIGGERS, 'switchboard:passControl', 'conversation:message'],
		});
		expect(updated.triggers).toEqual([
			'conversation:message',
			'switchboard:releaseControl',
			'switchboard:passControl',
		]);
		expect(updated.target).toBe(receiver.url);
	});

	it('refuses unknown triggers and non-http targets before sending', async () => {
		const served = sim.faults.served.sunshine;
		const bad = await Promise.all([
			client
				.createWebhook(integration.id, { target: receiver.url, triggers: ['conversation:Message'] })
				.catch((e) => e),
			client
				.createWebhook(integration.id, { target: 'ftp://x/y', triggers: ['conversation:message'] })
				.catch((e) => e),
			client.updateWebhook(integration.id, 'w', {}).catch((e) => e),
		]);
		expect(bad.map((e: InvalidInputError) => e.field)).toEqual([
			'webhook.triggers[0]',
			'webhook.target',
			'webhook',
		]);
		expect(sim.faults.served.sunshine).toBe(served);
	});

	it('creates and deletes a webhook on another integration; then it is gone', async () => {
		const other = await client.createCustomIntegration({
			webhook: { target: 'https://example.org/a', triggers: ['conversation:create'] },
		});
		const created = await client.createWebhook(other.id, {
			target: 'https://example.org/b',
			triggers: ['conversation:message'],
		});
		expect(created.secret).toEqual(expect.any(String));
		await client.deleteWebhook(other.id, created.id);
		const error = await client.getWebhook(other.id, created.id).catch((e) => e);
		expect(error).toBeInstanceOf(HttpError);
		expect(sunshineErrorCode(error)).toBe('not_found');
		await client.deleteIntegration(other.id);
		expect(sunshineErrorCode(await client.getIntegration(other.id).catch((e) => e))).toBe(
			'integration_not_found',
		);
	});
});

describe('webhook deliveries to a local server', () => {
	let conversationId: string;
	const externalId = `visitor-${Date.now()}`;
	const hostile = `"quoted" \\ back </script> 🧵 \u0000 \u2028 日本語`;

	it('a user message arrives, verified and parsed, text byte for byte', async () => {
		const said = sim.sunshine.control.userSays({ userExternalId: externalId, text: hostile });
		conversationId = said.conversationId;
		await settle();
		const event = receiver.processed.find(
			(e) => conversationMessagePayload(e)?.message.id === said.message.id,
		);
		expect(event).toBeDefined();
		const payload = conversationMessagePayload(event as WebhookEvent);
		expect(payload?.message.author.type).toBe('user');
		expect(payload?.message.content.text).toBe(hostile);
		expect(Buffer.from(payload?.message.content.text as string).equals(Buffer.from(hostile))).toBe(
			true,
		);
		expect(payload?.conversation.id).toBe(conversationId);
		// includeFullUser: the author carries the user with its externalId.
		expect(payload?.message.author.user).toMatchObject({ externalId });
		const envelope = receiver.envelopes[receiver.envelopes.length - 1];
		expect(envelope.app.id).toBe(SIM_SUNSHINE.appId);
		expect(envelope.webhook).toEqual({ id: integration.webhooks?.[0].id, version: 'v2' });
	});

	it('the bot’s own business message comes back and is recognised as an echo', async () => {
		const echoesBefore = receiver.echoes.length;
		const processedBefore = receiver.processed.length;
		const posted = await client.postBusinessMessage(conversationId, { text: 'I am the bot' });
		expect(posted.metadata).toEqual({ 'n8n.origin': ORIGIN });
		await settle();
		expect(
			receiver.echoes.slice(echoesBefore).map((e) => conversationMessagePayload(e)?.message.id),
		).toEqual([posted.id]);
		expect(receiver.processed.length).toBe(processedBefore);
	});

	it('an agent reply after escalation is not an echo; releaseControl ends the session', async () => {
		const result = await escalate(client, {
			user: { externalId },
			conversationId,
			summary: 'Visitor needs help',
		});
		expect(result.userCreated).toBe(false);
		expect(result.conversationCreated).toBe(false);
		const reply = sim.sunshine.control.agentReplies({
			conversationId,
			text: 'Hi, I am Sam from support',
		});
		sim.sunshine.control.agentReleasesControl({ conversationId, reason: 'ticketClosed' });
		await settle();

		const agentEvent = receiver.processed.find(
			(e) => conversationMessagePayload(e)?.message.id === reply.id,
		);
		const agentMessage = conversationMessagePayload(agentEvent as WebhookEvent)?.message;
		expect(agentMessage?.author.type).toBe('business');
		expect(agentMessage?.metadata?.['__zendesk_msg.agent.id']).toEqual(expect.any(String));

		const released = receiver.processed.map(releaseControlPayload).filter((p) => p !== undefined);
		expect(released).toHaveLength(1);
		expect(released[0]?.conversation.id).toBe(conversationId);
		expect(released[0]?.reason).toBe('ticketClosed');
		expect(released[0]?.conversation.activeSwitchboardIntegration ?? null).toBeNull();
	});

	it('a retried event is processed once', async () => {
		const duplicatesBefore = receiver.duplicates.length;
		receiver.loseAckFor.add('conversation:message');
		const said = sim.sunshine.control.userSays({ conversationId, text: 'are you there?' });
		await settle();
		const eventId = receiver.processed.find(
			(e) => conversationMessagePayload(e)?.message.id === said.message.id,
		)?.id as string;
		expect(sim.sunshine.control.deliveries({ eventId }).map((a) => a.outcome)).toEqual([
			'retrying',
		]);

		// Zendesk's retry comes a minute later (simulated clock).
		clock.advance(60_000);
		await settle();
		expect(
			sim.sunshine.control.deliveries({ eventId }).map((a) => [a.attempt, a.status, a.outcome]),
		).toEqual([
			[1, 500, 'retrying'],
			[2, 200, 'delivered'],
		]);
		expect(receiver.duplicates.slice(duplicatesBefore)).toEqual([eventId]);
		expect(receiver.processed.filter((e) => e.id === eventId)).toHaveLength(1);
	});

	it('a delivery with the wrong X-API-Key is rejected with 401 and not processed', async () => {
		const processedBefore = receiver.processed.length;
		const rejectedBefore = receiver.rejected;
		// Another integration's webhook has its own secret; this receiver does not know it.
		const intruder = await client.createCustomIntegration({
			webhook: { target: receiver.url, triggers: ['conversation:message'] },
		});
		const intruderWebhookId = intruder.webhooks?.[0].id as string;
		expect(intruder.webhooks?.[0].secret).not.toBe(secret);
		sim.sunshine.control.userSays({ conversationId, text: 'hello again' });
		await settle();
		const attempts = sim.sunshine.control.deliveries({ webhookId: intruderWebhookId });
		expect(attempts.map((a) => [a.status, a.outcome])).toEqual([[401, 'failed']]);
		expect(receiver.rejected - rejectedBefore).toBe(1);
		// The rightful webhook delivered the same event once.
		expect(receiver.processed.length - processedBefore).toBe(1);
		await client.deleteIntegration(intruder.id);
	});
});

import type { INodeParameters } from 'n8n-workflow';

import { rememberedIds } from '../../../nodes/ZendeskMessagingTrigger/helpers/dedupe';
import { ZendeskMessagingTrigger } from '../../../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node';
import { MAX_EVENT_ID_LENGTH } from '../../../src/messaging';
import { N8nLogCapture } from '../../helpers/n8n/log-capture';
import { TriggerFixture } from './fixture';
import { envelope, userMessage } from './payloads';

/**
 * What a call can cost, through n8n-core's WebhookContext: a delivery with bad events among good
 * ones, the body size cap, and the de-duplication memory under event ids megabytes long.
 */
let f: TriggerFixture;
const log = new N8nLogCapture();
const SECRET = 'limits-secret';

beforeAll(async () => {
	log.install();
	f = await TriggerFixture.start();
});
afterAll(async () => {
	await f.close();
	log.uninstall();
});
beforeEach(() => log.clear());

let nodes = 0;

/** A fresh trigger set up by hand (its own de-duplication memory), with these options. */
function useTrigger(options: INodeParameters = {}): void {
	f.useWorkflow(
		{ registration: 'manual', webhookSecret: SECRET, options },
		{ id: `limits-node-${++nodes}` },
	);
}

async function post(body: unknown) {
	const from = f.calls.length;
	const answer = await f.post(body, { 'X-API-Key': SECRET });
	return { ...answer, calls: f.calls.slice(from) };
}

describe('a delivery with bad events among good ones', () => {
	beforeEach(() => useTrigger());

	it('runs the good events, answers 200, and logs each bad one without its content or the secret', async () => {
		const good = [userMessage('first good one'), userMessage('second good one')];
		const hugeId = 'f'.repeat(5000);
		const bad = [
			{
				type: 'conversation:message',
				payload: { message: { content: { type: 'text', text: 'no id here' } } },
			},
			{ ...userMessage('id too long'), id: hugeId },
			42,
			{ id: 'no-type' },
		];
		const { status, body, calls } = await post(envelope([good[0], ...bad, good[1]]));
		expect([status, body]).toEqual([200, { received: true }]);
		expect(calls.flatMap((c) => c.items.map((i) => i.text))).toEqual([
			'first good one',
			'second good one',
		]);
		expect(log.messages('warn')).toEqual([
			'Zendesk Messaging Trigger: skipped event 1 of a call (no id, type "conversation:message"): id: Required',
			`Zendesk Messaging Trigger: skipped event 2 of a call (id "${'f'.repeat(40)}… (5000 characters)", type "conversation:message"): id: longer than ${MAX_EVENT_ID_LENGTH} characters`,
			'Zendesk Messaging Trigger: skipped event 3 of a call (no id, no type): Expected object, received number',
			'Zendesk Messaging Trigger: skipped event 4 of a call (id "no-type", no type): type: Required',
		]);
		const text = log.text();
		for (const secretOrContent of [
			SECRET,
			'no id here',
			'id too long',
			'good one',
			hugeId.slice(0, 41),
		])
			expect(text).not.toContain(secretOrContent);
	});

	it('answers 200 and starts nothing when every event is bad (Zendesk would never resend a 400)', async () => {
		const { status, calls } = await post(
			envelope([{ type: 'x' }, { id: 'y'.repeat(MAX_EVENT_ID_LENGTH + 1), type: 'x' }]),
		);
		expect([status, calls.map((c) => [c.response, c.run])]).toEqual([
			200,
			[[{ noWebhookResponse: true }, undefined]],
		]);
		expect(log.messages('warn')).toHaveLength(2);
	});

	it('still answers 400 to a body that is not an envelope at all', async () => {
		expect((await post({ events: [userMessage()] })).status).toBe(400);
		expect((await post('not json')).status).toBe(400);
	});
});

describe('Max Body Size', () => {
	/** A delivery of about `kb` KB: one message with that much text. */
	const deliveryOf = (kb: number) => envelope([userMessage('x'.repeat(kb * 1024))]);

	it('refuses a body over 1024 KB by default with 413, starts nothing, and remembers no id', async () => {
		useTrigger();
		const before = rememberedIds();
		const { status, body, calls } = await post(deliveryOf(1025));
		expect([status, body, calls.map((c) => c.run)]).toEqual([
			413,
			{ error: 'Payload Too Large' },
			[undefined],
		]);
		expect(rememberedIds()).toEqual(before);
		expect(log.messages('warn')).toEqual([
			expect.stringMatching(
				/^Zendesk Messaging Trigger: refused a call of \d+ bytes, over Max Body Size \(1048576 bytes\)$/,
			),
		]);
		expect((await post(deliveryOf(1000))).status).toBe(200);
	});

	it('takes the size set in the options', async () => {
		useTrigger({ maxBodySize: 2048 });
		const { status, calls } = await post(deliveryOf(1500));
		expect([status, calls.flatMap((c) => c.items).length]).toEqual([200, 1]);
		useTrigger({ maxBodySize: 10 });
		expect((await post(deliveryOf(11))).status).toBe(413);
	});
});

describe('the de-duplication memory under event ids megabytes long', () => {
	// 40 deliveries, each with one event whose id is 5 MB: about 205 MB that the memory used to keep.
	const DELIVERIES = 40;
	const hugeId = (n: number) => `${n}`.padEnd(5 * 1024 * 1024, 'a');

	it('with the default Max Body Size: every delivery is refused 413, and nothing is remembered', async () => {
		useTrigger();
		const before = rememberedIds();
		for (let n = 0; n < DELIVERIES; n++)
			expect((await post(envelope([{ ...userMessage(), id: hugeId(n) }]))).status).toBe(413);
		expect(rememberedIds()).toEqual(before);
	});

	it('with room for them: the over-long ids are bad events, never stored; the good events beside them are', async () => {
		useTrigger({ maxBodySize: 8 * 1024 });
		const before = rememberedIds();
		let started = 0;
		for (let n = 0; n < DELIVERIES; n++) {
			const { status, calls } = await post(
				envelope([{ ...userMessage(), id: hugeId(n) }, userMessage(`good ${n}`)]),
			);
			expect(status).toBe(200);
			started += calls.flatMap((c) => c.items).length;
		}
		expect(started).toBe(DELIVERIES);
		// Counted, not timed: 40 more ids of 24 characters each, and not one of the 5 MB ones.
		expect(rememberedIds()).toEqual({
			ids: before.ids + DELIVERIES,
			idChars: before.idChars + DELIVERIES * 24,
		});
		expect(log.messages('warn')).toHaveLength(DELIVERIES);
		expect(Math.max(...log.lines.map((l) => l.message.length))).toBeLessThan(200);
	});
});

describe('the editor', () => {
	it('opens with a notice that Zendesk needs a public HTTPS WEBHOOK_URL', () => {
		const [first] = new ZendeskMessagingTrigger().description.properties;
		expect(first).toMatchObject({ type: 'notice', name: 'webhookUrlNotice' });
		expect(first.displayName).toMatch(/WEBHOOK_URL/);
		expect(first.displayName).toMatch(/public HTTPS/);
	});
});

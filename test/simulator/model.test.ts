import { SIM_MODEL, startSimulator, type Simulator } from '../../simulator';
import { intentOf, MODEL_ANSWERS } from '../../simulator/model';

/**
 * The scripted chat model (simulator/model): n8n's OpenAI Chat Model node calls it over HTTP in the
 * AI agent example; here it is called as that node's OpenAI client does, in both API shapes.
 */
describe('simulator: the scripted chat model (OpenAI-compatible)', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.model.control.reset());

	const post = async (path: string, body: unknown, key: string = SIM_MODEL.apiKey) => {
		const res = await fetch(`${sim.urls.model}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	};
	const fn = (name: string, properties: Record<string, unknown>) => ({
		type: 'function',
		name,
		parameters: { type: 'object', properties },
		strict: false,
	});
	const TOOLS = [
		fn('Reply_to_Customer', { text: { type: 'string' } }),
		fn('Get_Transcript', {}),
		fn('Escalate_to_Human', { summary: { type: 'string' } }),
	];
	const TRANSCRIPT = JSON.stringify([
		{
			transcript:
				'[2026-12-06 08:00:00 UTC] Lin (visitor): Where is my parcel?\n[2026-12-06 08:00:02 UTC] Acme Assistant (bot): Parcels ship within 2 working days.',
		},
	]);

	it('reads intents: hand-off words win over topics', () => {
		expect(intentOf('I want to talk to a human please')).toBe('human');
		expect(intentOf('This is useless!!!')).toBe('frustrated');
		expect(intentOf('What are your opening hours?')).toBe('openingHours');
		expect(intentOf('How much is Pro?')).toBe('pricing');
		expect(intentOf('Where is my parcel?')).toBe('parcel');
		expect(intentOf('Hello')).toBe('greeting');
		expect(intentOf('Can you fix my fridge?')).toBe('unknown');
		expect(intentOf('Your parcel tracking is terrible, get me an agent')).toBe('human');
	});

	it("lists its model (the node's model list) and refuses a wrong key with OpenAI's error body", async () => {
		const res = await fetch(`${sim.urls.model}/models`, {
			headers: { authorization: `Bearer ${SIM_MODEL.apiKey}` },
		});
		expect(await res.json()).toMatchObject({
			object: 'list',
			data: [{ id: SIM_MODEL.model, object: 'model' }],
		});
		const wrong = await post('/responses', { input: 'hi' }, 'sk-wrong');
		expect(wrong).toEqual({
			status: 401,
			body: {
				error: expect.objectContaining({ type: 'invalid_request_error', code: 'invalid_api_key' }),
			},
		});
	});

	it('Responses API: answers a question with a call of the reply tool, then ends the turn once it ran', async () => {
		const input = [
			{ type: 'message', role: 'system', content: 'You are a test.' },
			{ type: 'message', role: 'user', content: 'What are your opening hours?' },
		];
		const first = await post('/responses', {
			model: 'gpt-test',
			input,
			tools: TOOLS,
			stream: false,
		});
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({
			object: 'response',
			status: 'completed',
			model: 'gpt-test',
		});
		const [call] = first.body.output;
		expect(call).toMatchObject({
			type: 'function_call',
			name: 'Reply_to_Customer',
			status: 'completed',
		});
		expect(JSON.parse(call.arguments)).toEqual({ text: MODEL_ANSWERS.openingHours });

		const second = await post('/responses', {
			model: 'gpt-test',
			input: [
				...input,
				{
					type: 'function_call',
					call_id: call.call_id,
					name: call.name,
					arguments: call.arguments,
				},
				{ type: 'function_call_output', call_id: call.call_id, output: '[{"id":"m1"}]' },
			],
			tools: TOOLS,
		});
		expect(second.body.output).toEqual([
			expect.objectContaining({
				type: 'message',
				role: 'assistant',
				content: [expect.objectContaining({ type: 'output_text', text: 'Answered.' })],
			}),
		]);
	});

	it('Responses API: on "human please" reads the transcript, tells the customer, then escalates with a summary built from the transcript', async () => {
		const input: unknown[] = [{ type: 'message', role: 'user', content: 'I want a human please' }];
		const outputs: Record<string, string> = {
			Get_Transcript: TRANSCRIPT,
			Reply_to_Customer: '[{"id":"m2"}]',
			Escalate_to_Human: '[{"ticket":1}]',
		};
		const called: Array<{ name: string; args: Record<string, unknown> }> = [];
		for (let i = 0; i < 4; i++) {
			const { body } = await post('/responses', { input, tools: TOOLS });
			const [item] = body.output;
			if (item.type === 'message') break;
			called.push({ name: item.name, args: JSON.parse(item.arguments) });
			input.push(
				{
					type: 'function_call',
					call_id: item.call_id,
					name: item.name,
					arguments: item.arguments,
				},
				{ type: 'function_call_output', call_id: item.call_id, output: outputs[item.name] },
			);
		}
		expect(called).toEqual([
			{ name: 'Get_Transcript', args: {} },
			{ name: 'Reply_to_Customer', args: { text: MODEL_ANSWERS.handoff } },
			{
				name: 'Escalate_to_Human',
				args: {
					summary:
						'The customer asked for a human agent. Their first message: "Where is my parcel?". Their last message: "I want a human please".',
				},
			},
		]);
		expect(sim.model.control.turns().map((t) => t.api)).toEqual([
			'responses',
			'responses',
			'responses',
			'responses',
		]);
	});

	it('Chat Completions API: the same decisions in its shape (tool_calls, then the tool message)', async () => {
		const tools = TOOLS.map((t) => ({
			type: 'function',
			function: { name: t.name, parameters: t.parameters },
		}));
		const messages: unknown[] = [
			{ role: 'system', content: 'You are a test.' },
			{ role: 'user', content: 'This is useless!!!' },
		];
		const first = await post('/chat/completions', { model: 'gpt-test', messages, tools });
		expect(first.body).toMatchObject({
			object: 'chat.completion',
			choices: [
				{
					finish_reason: 'tool_calls',
					message: {
						role: 'assistant',
						tool_calls: [{ type: 'function', function: { name: 'Get_Transcript' } }],
					},
				},
			],
		});
		const call = first.body.choices[0].message.tool_calls[0];
		messages.push(first.body.choices[0].message, {
			role: 'tool',
			tool_call_id: call.id,
			content: TRANSCRIPT,
		});
		const second = await post('/chat/completions', { model: 'gpt-test', messages, tools });
		expect(second.body.choices[0].message.tool_calls[0].function).toEqual({
			name: 'Reply_to_Customer',
			arguments: JSON.stringify({ text: MODEL_ANSWERS.handoff }),
		});
	});

	it('without an escalation tool it says it cannot hand over; without tools it answers in text; streaming is refused', async () => {
		expect(
			(await post('/responses', { input: 'get me a human', tools: [TOOLS[0]] })).body.output[0]
				.content[0].text,
		).toMatch(/cannot hand you over/);
		expect(
			(await post('/responses', { input: 'What does it cost?' })).body.output[0].content[0].text,
		).toBe(MODEL_ANSWERS.pricing);
		expect((await post('/responses', { input: 'hi', stream: true })).status).toBe(400);
	});
});

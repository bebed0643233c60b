/**
 * The two OpenAI request shapes n8n's OpenAI Chat Model node sends, read into one Turn, and the
 * answers written back in each shape. Version 1.3 of the node uses the Responses API by default
 * ("Use Responses API" on: POST /v1/responses, `stream: false`, seen from n8n 2.41.1); with it off,
 * and in older versions, the Chat Completions API (POST /v1/chat/completions).
 */
import type { Decision, PastCall, ToolSpec, Turn } from './brain';

type Json = Record<string, unknown>;

const asText = (content: unknown): string => {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => (part && typeof part === 'object' ? String((part as Json).text ?? '') : ''))
			.join('');
	}
	return '';
};

const parseArguments = (raw: unknown): Record<string, unknown> => {
	if (raw && typeof raw === 'object') return raw as Record<string, unknown>;
	try {
		const parsed = JSON.parse(String(raw ?? '{}')) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
	} catch {
		return {};
	}
};

/** Responses API: `instructions`, `input` (a string or items: messages, function_call, function_call_output), `tools`. */
export function turnOfResponses(body: Json): Turn {
	const items: Json[] =
		typeof body.input === 'string'
			? [{ type: 'message', role: 'user', content: body.input }]
			: ((body.input as Json[]) ?? []);
	let system = typeof body.instructions === 'string' ? body.instructions : '';
	let userText = '';
	const calls = new Map<string, PastCall>();
	for (const item of items) {
		const type = item.type ?? (item.role ? 'message' : undefined);
		if (type === 'message') {
			if (item.role === 'system' || item.role === 'developer') system += asText(item.content);
			if (item.role === 'user') userText = asText(item.content);
		} else if (type === 'function_call') {
			calls.set(String(item.call_id), {
				name: String(item.name),
				arguments: parseArguments(item.arguments),
				output: '',
			});
		} else if (type === 'function_call_output') {
			const call = calls.get(String(item.call_id));
			if (call) call.output = asText(item.output);
		}
	}
	const tools = ((body.tools as Json[]) ?? [])
		.filter((t) => t.type === 'function')
		.map((t) => ({
			name: String(t.name),
			description: t.description as string | undefined,
			parameters: t.parameters as ToolSpec['parameters'],
		}));
	return { system, userText, calls: [...calls.values()], tools };
}

/** Chat Completions API: `messages` (system, user, assistant with tool_calls, tool), `tools`. */
export function turnOfChatCompletions(body: Json): Turn {
	let system = '';
	let userText = '';
	const calls = new Map<string, PastCall>();
	for (const message of (body.messages as Json[]) ?? []) {
		if (message.role === 'system' || message.role === 'developer')
			system += asText(message.content);
		else if (message.role === 'user') userText = asText(message.content);
		else if (message.role === 'assistant') {
			for (const call of (message.tool_calls as Json[]) ?? []) {
				const fn = (call.function ?? {}) as Json;
				calls.set(String(call.id), {
					name: String(fn.name),
					arguments: parseArguments(fn.arguments),
					output: '',
				});
			}
		} else if (message.role === 'tool') {
			const call = calls.get(String(message.tool_call_id));
			if (call) call.output = asText(message.content);
		}
	}
	const tools = ((body.tools as Json[]) ?? [])
		.filter((t) => t.type === 'function')
		.map((t) => {
			const fn = (t.function ?? {}) as Json;
			return {
				name: String(fn.name),
				description: fn.description as string | undefined,
				parameters: fn.parameters as ToolSpec['parameters'],
			};
		});
	return { system, userText, calls: [...calls.values()], tools };
}

const usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };

export function responsesAnswer(
	decision: Decision,
	model: string,
	id: string,
	createdAt: number,
): Json {
	const output =
		decision.type === 'tool'
			? [
					{
						type: 'function_call',
						id: `fc_${id}`,
						call_id: `call_${id}`,
						name: decision.name,
						arguments: JSON.stringify(decision.arguments),
						status: 'completed',
					},
				]
			: [
					{
						type: 'message',
						id: `msg_${id}`,
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: decision.text, annotations: [] }],
					},
				];
	return {
		id: `resp_${id}`,
		object: 'response',
		created_at: createdAt,
		status: 'completed',
		model,
		output,
		usage,
	};
}

export function chatCompletionAnswer(
	decision: Decision,
	model: string,
	id: string,
	createdAt: number,
): Json {
	const message =
		decision.type === 'tool'
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${id}`,
							type: 'function',
							function: { name: decision.name, arguments: JSON.stringify(decision.arguments) },
						},
					],
				}
			: { role: 'assistant', content: decision.text };
	return {
		id: `chatcmpl_${id}`,
		object: 'chat.completion',
		created: createdAt,
		model,
		choices: [
			{ index: 0, message, finish_reason: decision.type === 'tool' ? 'tool_calls' : 'stop' },
		],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

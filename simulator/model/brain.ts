/**
 * The scripted support assistant behind the simulator's chat-model endpoint: deterministic, so the
 * AI agent example (examples/ai-agent-handoff.json) runs offline in the demo and the e2e, and its
 * choices follow from the conversation as a real model's would.
 *
 * It reads the latest customer message and the tool calls already made in this turn, and either
 * calls the next tool of its plan or ends the turn with a short text. Tools are found by what their
 * names say (Reply…, …Transcript…, Escalate…/…Human…), arguments by their parameter names, so the
 * example's tool nodes can be renamed within reason.
 *
 * Hand-off rules: the escalation connector seed's two triggers (the customer asks for a human; the
 * customer shows frustration), plus a question the assistant cannot answer.
 */

/** A tool as the request declared it. */
export interface ToolSpec {
	name: string;
	description?: string;
	/** JSON Schema of the arguments. */
	parameters?: {
		properties?: Record<string, { type?: string | string[]; description?: string }>;
		required?: string[];
	};
}

/** A tool call already made in this turn, with what the tool returned. */
export interface PastCall {
	name: string;
	arguments: Record<string, unknown>;
	output: string;
}

export interface Turn {
	/** The system prompt (instructions). */
	system: string;
	/** The latest user message of the request. */
	userText: string;
	calls: PastCall[];
	tools: ToolSpec[];
}

export type Decision =
	| { type: 'tool'; name: string; arguments: Record<string, unknown> }
	| { type: 'text'; text: string };

export type Intent =
	| 'human'
	| 'frustrated'
	| 'greeting'
	| 'openingHours'
	| 'pricing'
	| 'parcel'
	| 'unknown';

/** What the customer's text asks for. Hand-off words win over topics. */
export function intentOf(text: string): Intent {
	const t = text.toLowerCase();
	if (
		/\b(human|person|real agent|an agent|someone real|representative|talk to (an? )?(agent|someone))\b/.test(
			t,
		)
	)
		return 'human';
	if (/(useless|ridiculous|terrible|awful|angry|frustrat|not helpful|waste of time|!!!)/.test(t))
		return 'frustrated';
	if (/\b(open|opening|hours|closed?)\b/.test(t)) return 'openingHours';
	if (/\b(price|pricing|cost|plan|plans|how much)\b/.test(t)) return 'pricing';
	if (/\b(parcel|package|order|delivery|shipping|track)\b/.test(t)) return 'parcel';
	if (/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/.test(t)) return 'greeting';
	return 'unknown';
}

export const ANSWERS = {
	greeting: 'Hi! I am the Acme assistant. Ask me about our opening hours, pricing or your parcel.',
	openingHours: 'We are open Monday to Friday, 9:00 to 18:00 (CET).',
	pricing: 'Acme Basic is $10 a month and Acme Pro $25 a month; you can cancel at any time.',
	parcel: 'Parcels ship within 2 working days; the tracking link is in your confirmation email.',
	handoff: 'I am passing you to a human agent now. They will answer you right here.',
} as const;

const REASONS: Record<Intent, string> = {
	human: 'The customer asked for a human agent.',
	frustrated: 'The customer is frustrated with the assistant.',
	unknown: 'The assistant could not answer the question.',
	greeting: '',
	openingHours: '',
	pricing: '',
	parcel: '',
};

type Role = 'reply' | 'transcript' | 'escalate';

const ROLE_NAMES: Record<Role, RegExp> = {
	reply: /reply|answer|send/i,
	transcript: /transcript|history/i,
	escalate: /escalat|human|hand.?off|agent/i,
};

/** The tool for a role, by its name ("Hand Off to a Human" is the escalation, not a reply). */
function toolFor(tools: ToolSpec[], role: Role): ToolSpec | undefined {
	const is = (tool: ToolSpec, r: Role) => ROLE_NAMES[r].test(tool.name);
	if (role === 'reply')
		return tools.find((t) => is(t, 'reply') && !is(t, 'escalate') && !is(t, 'transcript'));
	if (role === 'transcript') return tools.find((t) => is(t, 'transcript'));
	return tools.find((t) => is(t, 'escalate') && !is(t, 'transcript'));
}

/** Fills a tool's arguments by their names: text-like ones get the text, summary-like ones the summary. */
function argumentsFor(
	tool: ToolSpec,
	values: { text?: string; summary?: string },
): Record<string, unknown> {
	const args: Record<string, unknown> = {};
	for (const name of Object.keys(tool.parameters?.properties ?? {})) {
		if (/summary|reason|note|context/i.test(name)) args[name] = values.summary ?? values.text ?? '';
		else if (/text|message|reply|answer|content/i.test(name))
			args[name] = values.text ?? values.summary ?? '';
		else args[name] = '';
	}
	return args;
}

/** The customer's first question in a transcript tool's output (the line of the first customer message). */
function firstCustomerLine(transcript: string): string | undefined {
	let text = transcript;
	try {
		// n8n hands a tool's items back as JSON; the transcript is a field of the first one.
		const parsed = JSON.parse(transcript) as unknown;
		const first = Array.isArray(parsed) ? parsed[0] : parsed;
		const value =
			first && typeof first === 'object'
				? (first as Record<string, unknown>).transcript
				: undefined;
		if (typeof value === 'string') text = value;
	} catch {
		// plain text
	}
	// src/shared/transcript.ts writes "[time] Name (visitor): text" (text) or "- [time] **Name** (visitor): text" (Markdown).
	for (const line of text.split('\n')) {
		const match = /\(visitor\): (.+)$/.exec(line.trim());
		if (match) return match[1].replace(/\\(.)/g, '$1').trim();
	}
	return undefined;
}

function summaryOf(intent: Intent, userText: string, calls: PastCall[]): string {
	const transcript = calls.find((c) => /transcript|history/i.test(c.name));
	const first = transcript ? firstCustomerLine(transcript.output) : undefined;
	const parts = [REASONS[intent]];
	if (first && first !== userText) parts.push(`Their first message: "${first}".`);
	parts.push(`Their last message: "${userText}".`);
	return parts.join(' ');
}

/** The next step of the turn. */
export function decide(turn: Turn): Decision {
	const intent = intentOf(turn.userText);
	const done = (tool: ToolSpec | undefined) =>
		tool !== undefined && turn.calls.some((c) => c.name === tool.name);
	const reply = toolFor(turn.tools, 'reply');
	if (intent === 'human' || intent === 'frustrated' || intent === 'unknown') {
		const transcript = toolFor(turn.tools, 'transcript');
		const escalate = toolFor(turn.tools, 'escalate');
		if (!escalate)
			return { type: 'text', text: `${REASONS[intent]} I cannot hand you over from here.` };
		if (transcript && !done(transcript))
			return { type: 'tool', name: transcript.name, arguments: argumentsFor(transcript, {}) };
		if (reply && !done(reply))
			return {
				type: 'tool',
				name: reply.name,
				arguments: argumentsFor(reply, { text: ANSWERS.handoff }),
			};
		if (!done(escalate))
			return {
				type: 'tool',
				name: escalate.name,
				arguments: argumentsFor(escalate, {
					summary: summaryOf(intent, turn.userText, turn.calls),
				}),
			};
		return { type: 'text', text: 'Escalated to a human agent.' };
	}
	const answer = ANSWERS[intent];
	if (reply && !done(reply))
		return { type: 'tool', name: reply.name, arguments: argumentsFor(reply, { text: answer }) };
	return { type: 'text', text: reply ? 'Answered.' : answer };
}

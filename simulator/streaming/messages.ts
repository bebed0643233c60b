import {
	isMetricWindow,
	isWindowed,
	parseTopic,
	type MetricKey,
	type MetricValue,
	type MetricWindow,
	type Topic,
} from './metric-keys';

/**
 * The status_code of every error answer to a client message we cannot serve (malformed JSON,
 * unknown topic or action, bad window or department). NOTES.md section 4: errors carry
 * status_code != 200 and a message, and zendesk-go maps 500 to "unsupported message sent" -- the
 * only public hint of what Zendesk answers, so every refused message gets 500 (unverified).
 */
export const UNSUPPORTED_MESSAGE_STATUS = 500;

/** An answer that is not an update: `{"status_code":…,"message":…}` (NOTES.md section 4; zendesk-go). */
export interface StatusMessage {
	status_code: number;
	message: string;
}

/** seeds/chat-streaming-api.txt "Example chat events" / "Example agent events", field for field. */
export interface UpdateMessage {
	status_code: 200;
	content: {
		topic: Topic;
		type: 'update';
		data: Record<string, MetricValue | Record<string, MetricValue>>;
		department_id: number | null;
	};
}

export function statusMessage(status: number, message: string): StatusMessage {
	return { status_code: status, message };
}

/** One metric's update; a windowed metric nests its value under the window: {"missed_chats":{"30":1}}. */
export function updateMessage(
	topic: Topic,
	key: MetricKey,
	window: MetricWindow | null,
	departmentId: number | null,
	value: MetricValue,
): UpdateMessage {
	const data = window === null ? { [key]: value } : { [key]: { [String(window)]: value } };
	return {
		status_code: 200,
		content: { topic, type: 'update', data, department_id: departmentId },
	};
}

/** A subscribe or unsubscribe the server understood. */
export interface ClientCommand {
	action: 'subscribe' | 'unsubscribe';
	topic: Topic;
	key: MetricKey;
	/** null: no window; undefined (unsubscribe only): any window. */
	window: MetricWindow | null | undefined;
	/** null: the whole account; undefined (unsubscribe only): any department. */
	departmentId: number | null | undefined;
}

export type ParsedClientMessage = { command: ClientCommand } | { error: string };

/**
 * Reads one client frame: `{topic:"chats.<key>"|"agents.<key>", action:"subscribe"|"unsubscribe",
 * window?: 30|60, department_id?: number}` (seeds/chat-streaming-api.txt "Subscribing to metrics",
 * "Unsubscribing from a metric"). Unknown extra fields are ignored.
 */
export function parseClientMessage(
	text: string,
	isDepartment: (id: number) => boolean,
): ParsedClientMessage {
	let frame: unknown;
	try {
		frame = JSON.parse(text);
	} catch {
		return { error: 'unsupported message sent: the frame is not JSON' };
	}
	if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
		return {
			error: 'unsupported message sent: the frame must be a JSON object with topic and action',
		};
	}
	const { topic, action, window, department_id: departmentId } = frame as Record<string, unknown>;
	if (action !== 'subscribe' && action !== 'unsubscribe') {
		return {
			error: `unsupported message sent: action must be "subscribe" or "unsubscribe", got ${JSON.stringify(action)}`,
		};
	}
	if (typeof topic !== 'string')
		return {
			error: 'unsupported message sent: topic must be a string such as "chats.incoming_chats"',
		};
	const parsed = parseTopic(topic);
	if (!parsed) return { error: `unsupported message sent: unknown topic ${JSON.stringify(topic)}` };

	const windowed = isWindowed(parsed.key);
	let metricWindow: MetricWindow | null | undefined;
	if (window === undefined || window === null) {
		// seeds/chat-streaming-api.txt: "You must specify a window size when subscribing to them."
		if (windowed && action === 'subscribe') {
			return { error: `unsupported message sent: ${topic} needs a window of 30 or 60 (minutes)` };
		}
		metricWindow = action === 'subscribe' ? null : window === null ? null : undefined;
	} else if (!windowed) {
		// "None of the agent metrics have a time window"; nor do the other chat metrics (unverified: refused).
		return { error: `unsupported message sent: ${topic} has no time window` };
	} else if (!isMetricWindow(window)) {
		// "Available time windows are 30 minutes and 60 minutes."
		return {
			error: `unsupported message sent: window must be 30 or 60, got ${JSON.stringify(window)}`,
		};
	} else {
		metricWindow = window;
	}

	let department: number | null | undefined;
	if (departmentId === undefined) {
		department = action === 'subscribe' ? null : undefined;
	} else if (departmentId === null) {
		department = null;
	} else if (
		typeof departmentId !== 'number' ||
		!Number.isSafeInteger(departmentId) ||
		departmentId <= 0
	) {
		return {
			error: `unsupported message sent: department_id must be a department's numeric id, got ${JSON.stringify(departmentId)}`,
		};
	} else if (action === 'subscribe' && !isDepartment(departmentId)) {
		// Unverified: a department the account does not have is refused loudly rather than left null.
		return { error: `unsupported message sent: no department ${departmentId}` };
	} else {
		department = departmentId;
	}

	return {
		command: {
			action,
			topic: parsed.topic,
			key: parsed.key,
			window: metricWindow,
			departmentId: department,
		},
	};
}

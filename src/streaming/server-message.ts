import { z } from 'zod';

import {
	isMetricKey,
	isMetricWindow,
	isWindowedMetric,
	METRIC_WINDOWS,
	type MetricKey,
	type MetricWindow,
} from './metric-keys';

/** "Values are null until computed or when nothing applies" (NOTES.md section 4). */
const metricValueSchema = z.number().nullable();

/**
 * seeds/chat-streaming-api.txt "Example chat events": `{status_code, content:{topic, type, data,
 * department_id}}`; a windowed metric nests its value under the window: `{"missed_chats":{"30":1}}`.
 */
const serverMessageSchema = z.object({
	status_code: z.number().int(),
	message: z.string().optional(),
	topic: z.string().optional(),
	content: z
		.object({
			topic: z.string().optional(),
			type: z.string().optional(),
			data: z
				.record(z.string(), z.union([metricValueSchema, z.record(z.string(), metricValueSchema)]))
				.optional(),
			department_id: z.number().int().nullable().optional(),
		})
		.optional(),
});

export interface MetricValueUpdate {
	metric: MetricKey;
	window: MetricWindow | null;
	departmentId: number | null;
	value: number | null;
}

export type ServerMessage =
	| { kind: 'update'; values: MetricValueUpdate[] }
	| {
			kind: 'error';
			statusCode: number;
			message: string | undefined;
			topic: string | undefined;
			raw: unknown;
	  }
	/** A 200 that is not an update (nothing documented); ignored. */
	| { kind: 'other'; raw: unknown }
	| { kind: 'malformed'; reason: string; text: string };

/** Reads one text frame from the server. Never throws: a frame we cannot read is `malformed`. */
export function readServerMessage(text: string): ServerMessage {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { kind: 'malformed', reason: 'the frame is not JSON', text };
	}
	const parsed = serverMessageSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return {
			kind: 'malformed',
			reason: `${issue.path.join('.') || 'frame'}: ${issue.message}`,
			text,
		};
	}
	const message = parsed.data;
	if (message.status_code !== 200) {
		return {
			kind: 'error',
			statusCode: message.status_code,
			message: message.message,
			topic: message.content?.topic ?? message.topic,
			raw: json,
		};
	}
	const content = message.content;
	if (!content || content.type !== 'update' || !content.data) return { kind: 'other', raw: json };
	return { kind: 'update', values: flattenData(content.data, content.department_id ?? null) };
}

function flattenData(
	data: Record<string, number | null | Record<string, number | null>>,
	departmentId: number | null,
): MetricValueUpdate[] {
	const values: MetricValueUpdate[] = [];
	for (const [metric, value] of Object.entries(data)) {
		// A metric this client does not know (a newer Zendesk release) is nobody's subscription.
		if (!isMetricKey(metric)) continue;
		if (!isWindowedMetric(metric)) {
			if (value === null || typeof value === 'number')
				values.push({ metric, window: null, departmentId, value });
			continue;
		}
		if (value === null) {
			// Not computed yet for any window.
			for (const window of METRIC_WINDOWS)
				values.push({ metric, window, departmentId, value: null });
			continue;
		}
		if (typeof value !== 'object') continue;
		for (const [windowText, windowValue] of Object.entries(value)) {
			const window = Number(windowText);
			if (isMetricWindow(window)) values.push({ metric, window, departmentId, value: windowValue });
		}
	}
	return values;
}

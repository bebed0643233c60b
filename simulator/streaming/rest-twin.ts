import type { IncomingMessage, ServerResponse } from 'node:http';

import { bearerToken, sendJson } from '../http';
import type { SimContext } from '../module';
import { retryAfterSeconds } from '../rate-window';
import {
	WINDOWS,
	isWindowed,
	keysOf,
	parseTopic,
	type MetricValue,
	type Topic,
} from './metric-keys';
import type { StreamingMetrics } from './metrics';
import { statusMessage } from './messages';

/** Every metric of a topic for one scope, windowed ones as {"30":…,"60":…} (NOTES.md section 4). */
export function topicData(
	metrics: StreamingMetrics,
	topic: Topic,
	departmentId: number | null,
	only?: string,
): Record<string, MetricValue | Record<string, MetricValue>> {
	const data: Record<string, MetricValue | Record<string, MetricValue>> = {};
	for (const key of keysOf(topic)) {
		if (only !== undefined && key !== only) continue;
		if (isWindowed(key)) {
			data[key] = Object.fromEntries(
				WINDOWS.map((w) => [String(w), metrics.value({ key, window: w, departmentId })]),
			);
		} else {
			data[key] = metrics.value({ key, window: null, departmentId });
		}
	}
	return data;
}

/**
 * The key of the account's 200-a-minute budget in `ctx.restBudget`: the account id, as the Chat REST
 * module uses it, so that REST requests and Streaming connections share one window.
 */
export function restBudgetKey(ctx: SimContext): string {
	return String(ctx.world.accountId);
}

const REST_PATH = /^\/stream\/(chats|agents)(?:\/([^/]+))?\/?$/;

export function isRestTwinPath(pathname: string): boolean {
	return REST_PATH.test(pathname);
}

/**
 * The Real Time Chat REST twin: GET /stream/chats, /stream/chats/{metric_key}, /stream/agents,
 * /stream/agents/{metric_key} (NOTES.md section 4 "REST twin"; developer.zendesk.com
 * .../real-time-chat-api/rest): the streaming update's shape with every value of the topic.
 * Unverified: `?department_id=` selects a department, and each request counts against the REST budget.
 */
export function handleRestTwin(
	ctx: SimContext,
	metrics: StreamingMetrics,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): void {
	if (req.method !== 'GET') {
		sendJson(
			res,
			405,
			statusMessage(405, 'method not allowed: the Real Time Chat REST API is read-only (GET)'),
			{ allow: 'GET' },
		);
		return;
	}
	const token = ctx.world.authenticate(bearerToken(req));
	if (!token) {
		sendJson(res, 401, statusMessage(401, 'unauthenticated'));
		return;
	}
	if (!token.scopes.includes('read')) {
		sendJson(res, 403, statusMessage(403, 'forbidden: the token needs the read scope'));
		return;
	}
	const budget = ctx.restBudget.take(restBudgetKey(ctx));
	if (!budget.allowed) {
		const retryAfter = retryAfterSeconds(budget.retryAfterMs);
		sendJson(res, 429, statusMessage(429, 'rate limit exceeded: 200 requests per minute'), {
			'retry-after': retryAfter,
		});
		return;
	}
	const [, topic, key] = REST_PATH.exec(url.pathname) as unknown as [
		string,
		Topic,
		string | undefined,
	];
	if (key !== undefined && !parseTopic(`${topic}.${key}`)) {
		sendJson(
			res,
			404,
			statusMessage(404, `unknown metric key ${JSON.stringify(key)} for ${topic}`),
		);
		return;
	}
	let departmentId: number | null = null;
	const department = url.searchParams.get('department_id');
	if (department !== null) {
		departmentId = Number(department);
		if (
			!Number.isSafeInteger(departmentId) ||
			departmentId <= 0 ||
			!ctx.world.departments.has(departmentId)
		) {
			sendJson(res, 404, statusMessage(404, `no department ${department}`));
			return;
		}
	}
	if (metrics.notComputed) {
		// developer.zendesk.com .../real-time-chat-api/rest "Data Initialization".
		sendJson(res, 200, { status_code: 200, message: 'Not Computed!' });
		return;
	}
	sendJson(res, 200, {
		content: {
			topic,
			data: topicData(metrics, topic, departmentId, key),
			type: 'update',
			department_id: departmentId,
		},
		status_code: 200,
	});
}

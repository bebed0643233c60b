import { NodeOperationError, type INode, type ITriggerFunctions } from 'n8n-workflow';

import type { AgentStatus, ChatActivityType } from '../../src/conversations';
import {
	isMetricKey,
	isWindowedMetric,
	parseMetricRequest,
	type MetricTopic,
} from '../../src/streaming';
import type { ChatAuthentication } from '../shared/connection';
import { toNodeError } from '../shared/errors';

export type TriggerEvent = 'chatMessage' | 'chatActivity' | 'liveMetrics';
export type SenderType = 'Visitor' | 'Agent';
export type MetricMode = 'everyChange' | 'snapshot' | 'threshold';

/** A threshold rule: fires when `metric` goes past `value` in `direction`, and again when it comes back. */
export interface ThresholdRule {
	topic: MetricTopic;
	direction: 'above' | 'below';
	value: number;
}

export interface MessageSettings {
	senders: SenderType[];
	/** The Chat REST API's department id; null for every department. */
	departmentId: number | null;
	textContains: string | null;
	textRegex: RegExp | null;
	caseSensitive: boolean;
	firstMessageOnly: boolean;
	includeDepartment: boolean;
}

export interface ActivitySettings {
	types: ChatActivityType[];
	member: 'visitor' | 'agent' | 'any';
}

export interface MetricSettings {
	mode: MetricMode;
	/** Validated by the core (src/streaming parseMetricRequest): one server subscription each. */
	topics: MetricTopic[];
	snapshotIntervalMs: number;
	thresholds: ThresholdRule[];
}

/**
 * The node's parameters, read and checked once at activation (KafkaTrigger v2's TriggerSettings):
 * the rest of the trigger reads only these, and a mistake fails the activation naming the field,
 * before anything is sent to Zendesk.
 */
export interface TriggerSettings {
	authentication: ChatAuthentication;
	event: TriggerEvent;
	/** updateAgentStatus at activation; null leaves the status alone. */
	presence: AgentStatus | null;
	/** Emit the next event only once the previous execution has finished. */
	waitForExecution: boolean;
	message: MessageSettings;
	activity: ActivitySettings;
	metrics: MetricSettings;
}

/** Every parameter as the editor may have saved it: nothing is trusted until checked below. */
interface RawParameters {
	authentication?: string;
	event?: string;
	presence?: string;
	sender?: string;
	activityTypes?: unknown;
	metricMode?: string;
	metrics?: unknown;
	thresholds?: { rules?: Array<{ metric?: unknown; direction?: unknown; value?: unknown }> };
	window?: unknown;
	snapshotInterval?: unknown;
	messageFilters?: {
		departmentId?: unknown;
		textContains?: unknown;
		textRegex?: unknown;
		caseSensitive?: unknown;
		firstMessageOnly?: unknown;
	};
	activityFilters?: { member?: unknown };
	metricFilters?: { departmentId?: unknown };
	options?: { includeDepartment?: unknown; waitForExecution?: unknown };
}

const PARAMETERS: Array<[keyof RawParameters, unknown]> = [
	['authentication', 'accessToken'],
	['event', 'chatMessage'],
	['presence', 'online'],
	['sender', 'visitor'],
	['activityTypes', null],
	['metricMode', 'everyChange'],
	['metrics', null],
	['thresholds', null],
	['window', 30],
	['snapshotInterval', 60],
	['messageFilters', null],
	['activityFilters', null],
	['metricFilters', null],
	['options', null],
];

/** The shortest snapshot interval: the Streaming API pushes changes as they happen, this only spaces them out. */
export const MIN_SNAPSHOT_INTERVAL_MS = 1_000;

/** @throws NodeOperationError naming the field to fix. */
export function triggerSettings(ctx: ITriggerFunctions): TriggerSettings {
	const raw = Object.fromEntries(
		PARAMETERS.map(([name, fallback]) => [name, ctx.getNodeParameter(name, fallback)]),
	) as RawParameters;
	const node = ctx.getNode();
	const event = oneOf(node, 'Event', raw.event, [
		'chatMessage',
		'chatActivity',
		'liveMetrics',
	] as const);
	const options = raw.options ?? {};
	return {
		authentication: oneOf(node, 'Authentication', raw.authentication, [
			'accessToken',
			'oAuth2',
		] as const),
		event,
		presence: event === 'liveMetrics' ? null : presenceOf(node, raw.presence),
		waitForExecution: options.waitForExecution === true,
		message: event === 'chatMessage' ? messageSettings(node, raw) : EMPTY_MESSAGE,
		activity: event === 'chatActivity' ? activitySettings(node, raw) : EMPTY_ACTIVITY,
		metrics: event === 'liveMetrics' ? metricSettings(node, raw) : EMPTY_METRICS,
	};
}

const EMPTY_MESSAGE: MessageSettings = {
	senders: [],
	departmentId: null,
	textContains: null,
	textRegex: null,
	caseSensitive: false,
	firstMessageOnly: false,
	includeDepartment: false,
};
const EMPTY_ACTIVITY: ActivitySettings = { types: [], member: 'any' };
const EMPTY_METRICS: MetricSettings = {
	mode: 'everyChange',
	topics: [],
	snapshotIntervalMs: 0,
	thresholds: [],
};

function presenceOf(node: INode, value: unknown): AgentStatus | null {
	const presence = oneOf(node, 'Agent Presence', value, [
		'online',
		'invisible',
		'unchanged',
	] as const);
	return presence === 'online' ? 'ONLINE' : presence === 'invisible' ? 'INVISIBLE' : null;
}

function messageSettings(node: INode, raw: RawParameters): MessageSettings {
	const sender = oneOf(node, 'From', raw.sender, ['visitor', 'agent', 'both'] as const);
	const filters = raw.messageFilters ?? {};
	const caseSensitive = filters.caseSensitive === true;
	const contains = optionalText(filters.textContains);
	const pattern = optionalText(filters.textRegex);
	return {
		senders:
			sender === 'both' ? ['Visitor', 'Agent'] : sender === 'agent' ? ['Agent'] : ['Visitor'],
		departmentId: departmentIdOf(node, filters.departmentId),
		textContains: contains === null ? null : caseSensitive ? contains : contains.toLowerCase(),
		textRegex: pattern === null ? null : regexOf(node, pattern, caseSensitive),
		caseSensitive,
		firstMessageOnly: filters.firstMessageOnly === true,
		includeDepartment: includeDepartmentOf(node, raw.options?.includeDepartment),
	};
}

/**
 * Version 1 looked the department up unless the option was switched off; from 1.1 only when it is
 * added and on, so that by default a new chat's first message waits for no Chat REST lookup and the
 * account's 200 requests a minute are left to the workflows (issue 14). Saved v1 workflows keep theirs.
 */
function includeDepartmentOf(node: INode, value: unknown): boolean {
	return node.typeVersion >= 1.1 ? value === true : value !== false;
}

function activitySettings(node: INode, raw: RawParameters): ActivitySettings {
	const types = Array.isArray(raw.activityTypes) ? raw.activityTypes : [];
	if (types.length === 0) {
		throw invalid(
			node,
			'Choose at least one activity in Activities',
			'The trigger starts the workflow only for the activities chosen there.',
		);
	}
	const valid = types.map((type) =>
		oneOf(node, 'Activities', type, ['MEMBER_JOIN', 'MEMBER_LEAVE'] as const),
	);
	return {
		types: [...new Set(valid)],
		member: oneOf(node, 'Member', raw.activityFilters?.member ?? 'any', [
			'visitor',
			'agent',
			'any',
		] as const),
	};
}

function metricSettings(node: INode, raw: RawParameters): MetricSettings {
	const mode = oneOf(node, 'Send', raw.metricMode, [
		'everyChange',
		'snapshot',
		'threshold',
	] as const);
	const departmentId = departmentIdOf(node, raw.metricFilters?.departmentId);
	const window = raw.window;
	const topicOf = (metric: unknown) => {
		try {
			// Time Window applies to the windowed metrics only; the core refuses a window on the others.
			const windowed = isMetricKey(metric) && isWindowedMetric(metric);
			return parseMetricRequest({
				metric: String(metric ?? ''),
				window: windowed ? Number(window) : undefined,
				departmentId,
			});
		} catch (error) {
			throw toNodeError(node, error);
		}
	};
	if (mode === 'threshold') {
		const rules = raw.thresholds?.rules ?? [];
		if (rules.length === 0) {
			throw invalid(
				node,
				'Add at least one rule in Thresholds',
				'Threshold Crossings starts the workflow only when a metric crosses one of these rules.',
			);
		}
		const thresholds = rules.map((rule, i) => {
			const value = rule.value;
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				throw invalid(
					node,
					`Thresholds rule ${i + 1}: Value must be a number`,
					'Enter the number the metric is compared with.',
				);
			}
			return {
				topic: topicOf(rule.metric),
				direction: oneOf(node, `Thresholds rule ${i + 1}: Crosses`, rule.direction, [
					'above',
					'below',
				] as const),
				value,
			};
		});
		return {
			mode,
			topics: uniqueTopics(thresholds.map((t) => t.topic)),
			snapshotIntervalMs: 0,
			thresholds,
		};
	}
	const metrics = Array.isArray(raw.metrics) ? raw.metrics : [];
	if (metrics.length === 0)
		throw invalid(
			node,
			'Choose at least one metric in Metrics',
			'The trigger follows only the metrics chosen there.',
		);
	const interval = Number(raw.snapshotInterval);
	if (
		mode === 'snapshot' &&
		(!Number.isFinite(interval) || interval * 1000 < MIN_SNAPSHOT_INTERVAL_MS)
	) {
		throw invalid(
			node,
			`Interval (Seconds) must be at least ${MIN_SNAPSHOT_INTERVAL_MS / 1000}`,
			'It is the shortest time between two snapshots.',
		);
	}
	return {
		mode,
		topics: uniqueTopics(metrics.map(topicOf)),
		snapshotIntervalMs: mode === 'snapshot' ? Math.round(interval * 1000) : 0,
		thresholds: [],
	};
}

function uniqueTopics(topics: MetricTopic[]): MetricTopic[] {
	const byId = new Map<string, MetricTopic>();
	for (const topic of topics) byId.set(topic.id, topic);
	return [...byId.values()];
}

/** The REST department id of a Filters › Department value: empty for none, else a positive integer. */
function departmentIdOf(node: INode, value: unknown): number | null {
	if (value === undefined || value === null || String(value).trim() === '') return null;
	const id = Number(String(value).trim());
	if (!Number.isSafeInteger(id) || id <= 0) {
		throw invalid(
			node,
			`Department: "${String(value)}" is not a department ID`,
			'Choose the department from the list, or give its numeric ID from the Chat REST API (Zendesk Chat › Settings › Departments).',
		);
	}
	return id;
}

function regexOf(node: INode, pattern: string, caseSensitive: boolean): RegExp {
	try {
		return new RegExp(pattern, caseSensitive ? 'u' : 'iu');
	} catch (error) {
		throw invalid(
			node,
			`Text Matches (Regex): "${pattern}" is not a valid regular expression`,
			`${(error as Error).message}. Write it in JavaScript syntax, without the enclosing slashes.`,
		);
	}
}

function optionalText(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

function oneOf<T extends string>(
	node: INode,
	field: string,
	value: unknown,
	allowed: readonly T[],
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw invalid(
		node,
		`${field}: "${String(value)}" is not one of the choices`,
		`Choose one of the listed values (${allowed.join(', ')}).`,
	);
}

function invalid(node: INode, message: string, description: string): NodeOperationError {
	return new NodeOperationError(node, message, { description, level: 'warning' });
}

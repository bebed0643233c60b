import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { chatAuthenticationProperty } from '../shared/chatAuthentication';

/** The Streaming API's metric keys, as the editor lists them (src/streaming/metric-keys.ts holds the documented list). */
export const METRIC_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Active Chats', value: 'active_chats', description: 'Chats going on now' },
	{ name: 'Agents Away', value: 'agents_away' },
	{ name: 'Agents Invisible', value: 'agents_invisible' },
	{ name: 'Agents Online', value: 'agents_online' },
	{
		name: 'Assigned Chats',
		value: 'assigned_chats',
		description: 'Chats an agent has been assigned to',
	},
	{ name: 'Chat Duration (Average)', value: 'chat_duration_avg', description: 'In seconds' },
	{ name: 'Chat Duration (Longest)', value: 'chat_duration_max', description: 'In seconds' },
	{ name: 'Incoming Chats', value: 'incoming_chats', description: 'Chats waiting for an agent' },
	{ name: 'Missed Chats', value: 'missed_chats', description: 'Over the time window' },
	{ name: 'Response Time (Average)', value: 'response_time_avg', description: 'In seconds' },
	{ name: 'Response Time (Longest)', value: 'response_time_max', description: 'In seconds' },
	{
		name: 'Satisfaction Bad',
		value: 'satisfaction_bad',
		description: 'Bad ratings over the time window',
	},
	{
		name: 'Satisfaction Good',
		value: 'satisfaction_good',
		description: 'Good ratings over the time window',
	},
	{ name: 'Waiting Time (Average)', value: 'waiting_time_avg', description: 'In seconds' },
	{ name: 'Waiting Time (Longest)', value: 'waiting_time_max', description: 'In seconds' },
];

const departmentFilter: INodeProperties = {
	displayName: 'Department Name or ID',
	name: 'departmentId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getDepartments' },
	default: '',
	description:
		'Only this department. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Shown first for the events that run on the agent's Conversations API session (README, "One session per agent"). */
export const sessionNotice: INodeProperties = {
	displayName:
		"Takes an agent seat and that agent's one Conversations API session: another app or n8n signed in as the same agent ends the session (EOS) and stops this trigger. Use a dedicated bot agent that nothing and no one else signs in as.",
	name: 'sessionNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { event: ['chatMessage', 'chatActivity'] } },
};

export const triggerProperties: INodeProperties[] = [
	sessionNotice,
	chatAuthenticationProperty,
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Chat Activity',
				value: 'chatActivity',
				description: 'A visitor or an agent joins or leaves a chat',
			},
			{
				name: 'Chat Message',
				value: 'chatMessage',
				description:
					'A visitor or an agent writes in a chat the agent can see (unserved chats and the chats it serves)',
			},
			{
				name: 'Live Metrics',
				value: 'liveMetrics',
				description: 'Real-time chat and agent numbers from the Streaming API',
			},
		],
		default: 'chatMessage',
	},
	{
		displayName: 'Agent Presence',
		name: 'presence',
		type: 'options',
		options: [
			{
				name: 'Invisible',
				value: 'invisible',
				description: 'Sets the agent invisible when the trigger starts',
			},
			{
				name: 'Online',
				value: 'online',
				description: 'Sets the agent online when the trigger starts, so Zendesk routes chats to it',
			},
			{ name: 'Unchanged', value: 'unchanged', description: "Leaves the agent's status as it is" },
		],
		default: 'online',
		description: "The status of the credential's agent while the trigger listens",
		displayOptions: { show: { event: ['chatMessage', 'chatActivity'] } },
	},
	{
		displayName: 'From',
		name: 'sender',
		type: 'options',
		options: [
			{
				name: 'Agents',
				value: 'agent',
				description:
					"Agents' messages, including the ones this agent sends (beware of replying to them)",
			},
			{ name: 'Visitors', value: 'visitor' },
			{ name: 'Visitors and Agents', value: 'both' },
		],
		default: 'visitor',
		description: 'Whose messages start the workflow',
		displayOptions: { show: { event: ['chatMessage'] } },
	},
	{
		displayName: 'Activities',
		name: 'activityTypes',
		type: 'multiOptions',
		options: [
			{ name: 'Member Joined', value: 'MEMBER_JOIN' },
			{ name: 'Member Left', value: 'MEMBER_LEAVE' },
		],
		default: ['MEMBER_JOIN', 'MEMBER_LEAVE'],
		description: "Which changes in a chat's members start the workflow",
		displayOptions: { show: { event: ['chatActivity'] } },
	},
	{
		displayName: 'Send',
		name: 'metricMode',
		type: 'options',
		options: [
			{
				name: 'Every Change',
				value: 'everyChange',
				description: 'One execution each time a metric changes, with that metric',
			},
			{
				name: 'Snapshot',
				value: 'snapshot',
				description:
					'Every metric at once (one item each), when something changed, at most once per interval',
			},
			{
				name: 'Threshold Crossings',
				value: 'threshold',
				description: 'Only when a metric crosses a threshold you set, and again when it recovers',
			},
		],
		default: 'everyChange',
		displayOptions: { show: { event: ['liveMetrics'] } },
	},
	{
		displayName: 'Metrics',
		name: 'metrics',
		type: 'multiOptions',
		options: METRIC_OPTIONS,
		default: ['incoming_chats'],
		description: 'The metrics to follow',
		displayOptions: { show: { event: ['liveMetrics'], metricMode: ['everyChange', 'snapshot'] } },
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'fixedCollection',
		placeholder: 'Add Threshold',
		typeOptions: { multipleValues: true },
		default: { rules: [{ metric: 'incoming_chats', direction: 'above', value: 5 }] },
		description:
			'Each rule fires once when its metric crosses the value, and once when it comes back',
		displayOptions: { show: { event: ['liveMetrics'], metricMode: ['threshold'] } },
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Metric',
						name: 'metric',
						type: 'options',
						options: METRIC_OPTIONS,
						default: 'incoming_chats',
					},
					{
						displayName: 'Crosses',
						name: 'direction',
						type: 'options',
						options: [
							{
								name: 'Above',
								value: 'above',
								description: 'Fires when the metric becomes greater than the value',
							},
							{
								name: 'Below',
								value: 'below',
								description: 'Fires when the metric becomes less than the value',
							},
						],
						default: 'above',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'number',
						default: 0,
					},
				],
			},
		],
	},
	{
		displayName: 'Time Window',
		name: 'window',
		type: 'options',
		options: [
			{ name: '30 Minutes', value: 30 },
			{ name: '60 Minutes', value: 60 },
		],
		default: 30,
		description:
			'The period Missed Chats, Satisfaction Good and Satisfaction Bad count over (the other metrics have no window)',
		displayOptions: { show: { event: ['liveMetrics'] } },
	},
	{
		displayName: 'Interval (Seconds)',
		name: 'snapshotInterval',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'The shortest time between two snapshots',
		displayOptions: { show: { event: ['liveMetrics'], metricMode: ['snapshot'] } },
	},
	{
		displayName: 'Filters',
		name: 'metricFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: ['liveMetrics'] } },
		options: [
			{
				...departmentFilter,
				description:
					'Only this department\'s numbers instead of the whole account\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	{
		displayName: 'Filters',
		name: 'messageFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: ['chatMessage'] } },
		options: [
			{
				displayName: 'Case Sensitive',
				name: 'caseSensitive',
				type: 'boolean',
				default: false,
				description: 'Whether the text filter tells capitals from small letters',
			},
			{
				...departmentFilter,
				description:
					'Only messages in chats of this department (looked up with the Chat REST API). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},

			{
				displayName: 'First Message of a Chat Only',
				name: 'firstMessageOnly',
				type: 'boolean',
				default: false,
				description:
					"Whether only the chat's first message (of those From allows) starts the workflow; a chat that began before the trigger started is checked in its history",
			},
			{
				displayName: 'Text Contains',
				name: 'textContains',
				type: 'string',
				default: '',
				placeholder: 'refund',
				description: 'Only messages that contain this text',
			},
			{
				displayName: 'Text Matches (Regex)',
				name: 'textRegex',
				type: 'string',
				default: '',
				placeholder: '^(order|invoice)\\s*#?\\d+',
				description:
					'Only messages that match this regular expression (JavaScript syntax, without slashes)',
			},
		],
	},
	{
		displayName: 'Filters',
		name: 'activityFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: ['chatActivity'] } },
		options: [
			{
				displayName: 'Member',
				name: 'member',
				type: 'options',
				options: [
					{ name: 'Agents', value: 'agent' },
					{ name: 'Anyone', value: 'any' },
					{ name: 'Visitors', value: 'visitor' },
				],
				default: 'any',
				description: 'Whose joining or leaving starts the workflow',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Department',
				name: 'includeDepartment',
				type: 'boolean',
				default: true,
				description:
					"Whether each message item carries its chat's department, looked up with the Chat REST API (once a minute per chat, up to 50 chats a request, within the 200 requests a minute). A chat's first message waits for it up to half a second, never for the budget: it then goes without, and departmentStatus says why. Off unless added here (version 1 of this node: on unless switched off).",
				displayOptions: { show: { '/event': ['chatMessage'] } },
			},
			{
				displayName: 'Wait for Each Execution',
				name: 'waitForExecution',
				type: 'boolean',
				default: false,
				description:
					"Whether the next event waits until the workflow has finished with the previous one, instead of starting executions at once. For Chat Message this holds per chat: a chat's messages run in order, one at a time, while other chats go on.",
			},
		],
	},
];

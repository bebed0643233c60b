import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as get from './get.operation';
import * as setUpBotHandoff from './setUpBotHandoff.operation';

/** Operations of the Switchboard resource: who gets the app's conversations, and the bot-to-agent handoff set-up. */
export const switchboardOperations: Operations<'switchboard'> = { get, setUpBotHandoff };

export const switchboardDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['switchboard'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the switchboard',
				description:
					'Get the switchboard: its integrations (the bot, the agent workspace), which one gets new conversations and which comes next, e.g. to check the handoff set-up',
			},
			{
				name: 'Set Up Bot Handoff',
				value: 'setUpBotHandoff',
				action: 'Set up the bot to agent handoff',
				description:
					"Create or repair, once, what a bot needs to hand conversations to Zendesk agents: the bot's integration and webhook, the switchboard, the agent workspace as the bot's next; says what it changed",
			},
		],
		default: 'get',
	},
	...get.description,
	...setUpBotHandoff.description,
];

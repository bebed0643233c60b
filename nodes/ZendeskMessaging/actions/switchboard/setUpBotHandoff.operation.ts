import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	ESCALATION_TRIGGERS,
	setUpBotHandoff,
	WEBHOOK_TRIGGERS,
	type BotHandoffOptions,
} from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import { optionalText, stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';

const properties: INodeProperties[] = [
	{
		displayName: 'Bot Name',
		name: 'botName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'n8n Bot',
		description:
			"The name of your bot's custom integration (1 to 100 characters); it is found again by this name, so a second run changes nothing",
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/zendesk-messaging',
		description:
			"Where Zendesk sends the bot's events (e.g. the URL of a Zendesk Messaging Trigger). Needed when the integration is created; given for an existing one, its webhook is pointed here.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Events',
				name: 'triggers',
				type: 'multiOptions',
				options: WEBHOOK_TRIGGERS.map((trigger) => ({ name: trigger, value: trigger })),
				default: [...ESCALATION_TRIGGERS],
				description:
					"The webhook's events (default: conversation:message and switchboard:releaseControl)",
			},
			{
				displayName: 'Integration ID',
				name: 'integrationId',
				type: 'string',
				default: '',
				description:
					'Use this existing custom integration (renamed to the Bot Name) instead of finding one by name',
			},
			{
				displayName: 'Make the Bot the Default Responder',
				name: 'makeDefault',
				type: 'boolean',
				default: false,
				description:
					'Whether new conversations go to the bot first (otherwise they go to the agent workspace unless another default is set)',
			},
			{
				displayName: 'Switchboard Integration Name',
				name: 'switchboardIntegrationName',
				type: 'string',
				default: '',
				placeholder: 'n8n-bot',
				description:
					"The bot's name in the switchboard: letters, digits, - and _ (empty: made from the Bot Name)",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['switchboard'], operation: ['setUpBotHandoff'] } },
	properties,
);

const LABELS = {
	botName: 'Bot Name',
	webhook: 'Webhook URL',
	'webhook.target': 'Webhook URL',
	'webhook.triggers': 'Events',
	integrationId: 'Integration ID',
	switchboardIntegrationName: 'Switchboard Integration Name',
	switchboard: 'Switchboard',
};

/**
 * What teams otherwise click together in Admin Center so that a bot can hand conversations to
 * agents: the bot's custom integration with its webhook, the switchboard, the agent workspace in it,
 * the bot with the agent workspace as its "next", optionally the bot as the default. Only what
 * differs is changed; the output lists the changes (none on a second run).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const input: BotHandoffOptions = { botName: stringParameter(this, 'botName', itemIndex) };
		const target = optionalText(this.getNodeParameter('webhookUrl', itemIndex, ''));
		if (target !== undefined) {
			const triggers = options.triggers as string[] | undefined;
			input.webhook =
				triggers === undefined || triggers.length === 0 ? { target } : { target, triggers };
		}
		const integrationId = optionalText(options.integrationId);
		if (integrationId !== undefined) input.integrationId = integrationId;
		if (options.makeDefault === true) input.makeDefault = true;
		const sbiName = optionalText(options.switchboardIntegrationName);
		if (sbiName !== undefined) input.switchboardIntegrationName = sbiName;
		const client = await messaging.get();
		return (await setUpBotHandoff(client, input, { signal })) as unknown as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}

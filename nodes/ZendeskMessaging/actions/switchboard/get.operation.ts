import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['switchboard'], operation: ['get'] } },
	properties,
);

/**
 * The app's switchboard: whether it is enabled and its integrations (the bot, the agent workspace, …),
 * each with whether it gets new conversations (isDefault) and where "next" leads from it.
 * `switchboard` is null when the app has none (Set Up Bot Handoff creates one).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const client = await messaging.get();
		const described = await client.describeSwitchboard({ signal });
		return (described ?? { switchboard: null, integrations: [] }) as unknown as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex);
	}
}

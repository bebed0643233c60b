import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import { collectPages, limitParameter } from '../../helpers/pages';
import { userRefParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { returnAllOrLimit, userLocator } from '../common.descriptions';

/** The fields, without displayOptions: User › Get Many Conversations shows the same ones. */
export const properties: INodeProperties[] = [...userLocator, ...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['getAll'] } },
	properties,
);

export const LABELS = {
	userExternalId: 'User External ID',
	userId: 'User ID',
	'filter[userExternalId]': 'User External ID',
	'filter[userId]': 'User ID',
};

/** The conversations of one user (GET /conversations?filter[…]), one item each: all of them, or up to Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject[]> {
	try {
		const user = userRefParameter(this, itemIndex);
		const limit = limitParameter(this, itemIndex);
		const client = await messaging.get();
		return (await collectPages(
			(page) => client.listConversations({ ...user, ...page }, { signal }),
			limit,
		)) as IDataObject[];
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}

import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { toNodeError } from './errors';

/**
 * The action runtime both action nodes (Zendesk Chat, Zendesk Messaging) run on: one loop over the
 * items, one item contract, one continueOnFail shape, one cancel signal for every request.
 */

/**
 * The resources of an action node and the operations of each (Airtable v2's `NodeMap`), e.g.
 * `{ message: 'sendText' | 'sendList'; user: 'get' }`. `AllEntities<NodeMap>` from n8n-workflow
 * gives the `{ resource, operation }` pairs.
 */
export type ResourceMap = { [resource: string]: string };

/**
 * What one execution opens on first use and releases once at the end (clients, session leases),
 * handed to every operation with the execution's cancel signal inside.
 */
export interface ExecutionScope {
	/** Aborted when the execution is stopped; every request of the execution is made with it. */
	readonly signal: AbortSignal | undefined;
	/** Releases what was opened; called once, in a finally block, even when an item failed. */
	dispose(): Promise<void>;
}

/**
 * One operation, in one file: its fields (shown only for its resource and operation) and what it
 * does for one input item. It returns one object, or a list (each becomes an output item paired
 * with the input item).
 */
export interface ActionOperation<S extends ExecutionScope> {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		scope: S,
	): Promise<IDataObject | IDataObject[]>;
}

/** The operations of one resource, by name: the type makes a missing or unknown one a compile error. */
export type ResourceOperations<
	M extends ResourceMap,
	R extends keyof M,
	S extends ExecutionScope,
> = {
	[O in M[R]]: ActionOperation<S>;
};

/** Every operation of every resource of a node. */
export type OperationTable<M extends ResourceMap, S extends ExecutionScope> = {
	[R in keyof M]: ResourceOperations<M, R, S>;
};

/**
 * The item an input item becomes when it fails under "Continue On Fail" (Settings › On Error ›
 * Continue): the message and what to do about it. `description` is always there (null when the error
 * has none), so a later node or an AI agent can read `$json.description` without checking for it.
 */
export function errorItem(
	error: { message: string; description?: string | null },
	itemIndex: number,
): INodeExecutionData {
	return {
		json: { error: error.message, description: error.description ?? null },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs the chosen operation for every input item with one execution scope (disposed in the finally):
 * each output item is paired with its input item (`constructExecutionMetaData`); a failed item
 * becomes an error item with "Continue On Fail", otherwise the mapped error (with its item index)
 * stops the node. A stopped execution stops the loop: no item after it runs, and it is never
 * turned into an error item.
 */
export async function runActions<M extends ResourceMap, S extends ExecutionScope>(
	this: IExecuteFunctions,
	operations: OperationTable<M, S>,
	openScope: (signal: AbortSignal | undefined) => S,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const byName = (operations as Record<string, Record<string, ActionOperation<S>> | undefined>)[
		resource
	];
	const run =
		byName && Object.prototype.hasOwnProperty.call(byName, operation)
			? byName[operation]
			: undefined;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of the resource "${resource}" is not known`,
			{
				description:
					'Choose the resource and the operation again in the node: this version of the node does not have this one.',
			},
		);
	}

	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	const scope = openScope(signal);
	const output: INodeExecutionData[] = [];
	try {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			if (signal?.aborted) break;
			try {
				const result = await run.execute.call(this, itemIndex, scope);
				output.push(
					...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
						itemData: { item: itemIndex },
					}),
				);
			} catch (error) {
				const mapped = toNodeError(this.getNode(), error, itemIndex);
				if (signal?.aborted || !this.continueOnFail()) throw mapped;
				output.push(errorItem(mapped, itemIndex));
			}
		}
	} finally {
		await scope.dispose();
	}
	return [output];
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ExecutionResources } from './ExecutionResources';

/**
 * One operation: its fields (shown only for its resource and operation) and what it does for one
 * input item. It returns one object, or a list (each becomes an output item paired with the input).
 */
export interface ChatOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject | IDataObject[]>;
}

export type OperationMap = Record<string, ChatOperation>;

import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../resources';

/** Operations of the LiveChat resource (one file per operation beside this one). */
export const liveChatOperations: OperationMap = {};

export const liveChatDescription: INodeProperties[] = [];

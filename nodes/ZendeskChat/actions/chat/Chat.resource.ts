import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../resources';

/** Operations of the Chat resource (one file per operation beside this one). */
export const chatOperations: OperationMap = {};

export const chatDescription: INodeProperties[] = [];

import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../resources';

/** Operations of the Message resource (one file per operation beside this one). */
export const messageOperations: OperationMap = {};

export const messageDescription: INodeProperties[] = [];

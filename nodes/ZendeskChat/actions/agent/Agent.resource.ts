import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../resources';

/** Operations of the Agent resource (one file per operation beside this one). */
export const agentOperations: OperationMap = {};

export const agentDescription: INodeProperties[] = [];

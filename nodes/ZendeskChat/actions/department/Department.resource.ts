import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../resources';

/** Operations of the Department resource (one file per operation beside this one). */
export const departmentOperations: OperationMap = {};

export const departmentDescription: INodeProperties[] = [];

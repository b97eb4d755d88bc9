import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as create from './create';

export const operations: Record<string, Operation> = { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['instance'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Turn an authorization code into an element instance (ID and token)',
				action: 'Create an instance',
			},
		],
		default: 'create',
	},
	...create.description,
];

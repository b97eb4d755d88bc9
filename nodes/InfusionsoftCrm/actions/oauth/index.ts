import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as getOAuthUrl from './getOAuthUrl';

export const operations: Record<string, Operation> = { getOAuthUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['oauth'] } },
		options: [
			{
				name: 'Get OAuth URL',
				value: 'getOAuthUrl',
				description: 'Get the Infusionsoft authorization URL to send the user to',
				action: 'Get the authorization URL',
			},
		],
		default: 'getOAuthUrl',
	},
	...getOAuthUrl.description,
];

import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as getOAuthUrl from './getOAuthUrl';
import * as parseCallback from './parseCallback';

export const operations: Record<string, Operation> = { getOAuthUrl, parseCallback };

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
			{
				name: 'Parse Callback',
				value: 'parseCallback',
				description: 'Check a redirect to the callback URL and get its code and context',
				action: 'Parse an authorization callback',
			},
		],
		default: 'getOAuthUrl',
	},
	...getOAuthUrl.description,
	...parseCallback.description,
];

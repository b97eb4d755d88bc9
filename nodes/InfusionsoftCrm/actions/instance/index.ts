import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import * as create from './create';
import * as del from './delete';
import * as get from './get';
import * as getAll from './getAll';
import * as reauthenticate from './reauthenticate';
import { disable, enable } from './setEnabled';
import * as update from './update';

export const operations: Record<string, Operation> = {
	create,
	get,
	getAll,
	update,
	reauthenticate,
	delete: del,
	enable,
	disable,
};

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
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an instance; its token stops working',
				action: 'Delete an instance',
			},
			{
				name: 'Disable',
				value: 'disable',
				description: 'Disable an instance; calls with its token are refused',
				action: 'Disable an instance',
			},
			{
				name: 'Enable',
				value: 'enable',
				description: 'Enable a disabled instance',
				action: 'Enable an instance',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an instance by ID',
				action: 'Get an instance',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List instances, by tags and search text',
				action: 'Get many instances',
			},
			{
				name: 'Re-Authenticate',
				value: 'reauthenticate',
				description: 'Give an instance a new authorization code, keeping its ID',
				action: 'Reauthenticate an instance',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name or tags of an instance',
				action: 'Update an instance',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...reauthenticate.description,
	...del.description,
	...enable.description,
	...disable.description,
];

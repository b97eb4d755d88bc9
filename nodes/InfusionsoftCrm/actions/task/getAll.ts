import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../shared/descriptions';
import { booleanParameter, inputError, textParameter } from '../../shared/input';
import { openHub } from '../../transport/hub';
import type { ItemContext } from '../types';
import { requireRest } from './fields';

export const option = { name: 'Get Many', value: 'getAll', description: 'List tasks, by a CEQL query', action: 'Get many tasks' };

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit' },
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Where (CEQL)',
		name: 'where',
		type: 'string',
		default: '',
		placeholder: 'completed = false',
		description: 'Only tasks that match this CEQL condition, in Keap REST’s field names (e.g. completed = false)',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const returnAll = booleanParameter(this, 'returnAll', 'Return All', item.index, false);
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', item.index, 50) as unknown);
	if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
		throw inputError(this, item.index, 'Limit must be a whole number of 1 or more');
	}
	const where = textParameter(this, 'where', 'Where (CEQL)', item.index);
	const hub = await openHub(this, item);
	requireRest(this, item.index, hub);
	return await hub.list('/tasks', { where: where || undefined }, limit as number | undefined, 'tasks');
}

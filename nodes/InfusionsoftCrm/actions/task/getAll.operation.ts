import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter, textParameter } from '../../../../lib/params/input';
import { WHERE_HINT, whereProblem } from '../../helpers/ceql';
import { instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List tasks, by a CEQL query',
	action: 'Get many tasks',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	{
		displayName: 'Where (CEQL)',
		name: 'where',
		type: 'string',
		default: '',
		placeholder: 'completed = false',
		description:
			'Only tasks that match this CEQL condition, in Keap REST’s field names (e.g. completed = false)',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const where = textParameter(this, 'where', 'Where (CEQL)', item.index);
	const problem = whereProblem(where);
	if (problem) throw inputError(this, item.index, `Where (CEQL) ${problem}`, WHERE_HINT);
	const hub = await openHub(this, item);
	return await hub.list('/tasks', { where: where || undefined }, limit, 'tasks');
}

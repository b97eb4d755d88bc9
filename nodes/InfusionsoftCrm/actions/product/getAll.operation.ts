import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter, readBoolean } from '../../../../lib/params/input';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List products, all or only the active ones',
	action: 'Get many products',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Active',
			name: 'active',
			type: 'boolean',
			default: true,
			description:
				'Whether to list only the products that can be sold (on) or only the inactive ones (off)',
		},
	]),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	let where: string | undefined;
	if (filters.active !== undefined) {
		const active = readBoolean(filters.active);
		if (active === undefined)
			throw inputError(this, item.index, 'Filters → Active must be true or false');
		where = `active = ${String(active)}`;
	}
	const hub = await openHub(this, item);
	return await hub.list('/products', { where }, limit, 'products');
}

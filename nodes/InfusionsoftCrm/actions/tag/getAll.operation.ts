import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { limitParameter } from '../../../../lib/params/input';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readId, readText } from '../../helpers/collectionValues';
import { categoryIdField, tagWhere } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the tags of the customer’s Keap account, by name or category (Keap REST)',
	action: 'Get many tags',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{ ...categoryIdField, description: 'Only tags of this tag category (its Keap ID)' },
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'VIP',
			description: 'Only tags with exactly this name',
		},
	]),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const name = readText(this, item.index, filters, 'name', 'Filters → Name');
	const categoryId = readId(this, item.index, filters, 'categoryId', 'Filters → Category ID');
	const hub = await openHub(this, item);
	const where = tagWhere(name, categoryId);
	return await hub.list('/tags', { where: where || undefined }, limit, 'tags');
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	productFields,
	productIdField,
	productIdParameter,
	productNotFound,
	readProductFields,
} from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a product, e.g. its price or whether it is active',
	action: 'Update a product',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	productIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: productFields,
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = productIdParameter(this, item.index);
	const values = this.getNodeParameter('updateFields', item.index, {}) as IDataObject;
	const body = readProductFields(this, item.index, values, 'Update Fields');
	if (values.name !== undefined && !body.product_name)
		throw inputError(this, item.index, 'Update Fields → Name is empty');
	if (Object.keys(body).length === 0)
		throw inputError(this, item.index, 'Nothing to update', 'Add a field under Update Fields.');
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'PATCH',
			path: `/products/${id}`,
			body,
			expect: 'object',
			hints: productNotFound(hub, id),
		})
	).body;
}

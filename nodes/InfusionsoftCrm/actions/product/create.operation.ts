import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { ceqlText } from '../../helpers/contacts';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { productFields, readProductFields } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a product in the customer’s Keap (Keap REST)',
	action: 'Create a product',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Gold membership',
		description: 'What the product is called',
	},
	additionalFieldsField(productFields.filter((field) => field.name !== 'name')),
];

/**
 * POST /hubs/crm/products, at most once: when the answer is lost, the product is looked up by
 * its SKU before anything else happens; without a SKU the outcome is reported as unknown.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const values = {
		...(this.getNodeParameter('additionalFields', item.index, {}) as IDataObject),
		name: this.getNodeParameter('name', item.index, '') as IDataObject[string],
	};
	const body = readProductFields(this, item.index, values, 'Fields');
	if (!body.product_name) throw inputError(this, item.index, 'Name is empty');
	const hub = await openHub(this, item);
	const sku = body.sku as string | undefined;
	return await hub.sendOnce(
		{ method: 'POST', path: '/products', body, expect: 'object' },
		sku === undefined
			? {
					ifUnknown:
						'The product may or may not have been created, and without a SKU it cannot be looked up: check the customer’s Keap before running this item again.',
				}
			: {
					lookUp: async () =>
						(await hub.list('/products', { where: `sku = ${ceqlText(sku)}` }, 1, 'products'))[0],
				},
	);
}

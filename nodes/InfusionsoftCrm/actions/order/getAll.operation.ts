import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter, readBoolean } from '../../../../lib/params/input';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readDate, wholeId } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List orders, by contact, product, paid or not, and order date',
	action: 'Get many orders',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
			description: 'Only the orders of this contact (their Keap ID)',
		},
		{
			displayName: 'Paid',
			name: 'paid',
			type: 'boolean',
			default: false,
			description: 'Whether to list only paid orders (on) or only unpaid ones (off)',
		},
		{
			displayName: 'Product ID',
			name: 'productId',
			type: 'string',
			default: '',
			description: 'Only the orders with an item of this product (its Keap ID)',
		},
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: 'Only orders placed at or after this time',
		},
		{
			displayName: 'Until',
			name: 'until',
			type: 'dateTime',
			default: '',
			description: 'Only orders placed at or before this time',
		},
	]),
];

/** The filters as Keap REST's query fields, in CEQL (as the element documents `since` for contacts). */
function readFilters(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const conditions: string[] = [];
	if (filters.contactId !== undefined && filters.contactId !== '') {
		const contactId = wholeId(filters.contactId);
		if (contactId === undefined)
			throw inputError(ctx, itemIndex, 'Filters → Contact ID must be a whole number');
		conditions.push(`contact_id = ${contactId}`);
	}
	if (filters.productId !== undefined && filters.productId !== '') {
		const productId = wholeId(filters.productId);
		if (productId === undefined)
			throw inputError(ctx, itemIndex, 'Filters → Product ID must be a whole number');
		conditions.push(`product_id = ${productId}`);
	}
	if (filters.paid !== undefined) {
		const paid = readBoolean(filters.paid);
		if (paid === undefined)
			throw inputError(ctx, itemIndex, 'Filters → Paid must be true or false');
		conditions.push(`paid = ${String(paid)}`);
	}
	for (const [name, label] of [
		['since', 'Since'],
		['until', 'Until'],
	] as const) {
		const date = readDate(ctx, itemIndex, filters[name], `Filters → ${label}`);
		if (date !== undefined) conditions.push(`${name} = '${date}'`);
	}
	return allOf(conditions);
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const where = readFilters(this, item.index);
	const hub = await openHub(this, item);
	return await hub.list('/orders', { where }, limit, 'orders');
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError, readBoolean } from '../../../../lib/params/input';
import { keapRecord } from '../keapRecord';

export const productRecord = keapRecord({
	noun: 'product',
	article: 'a',
	collection: '/products',
	idName: 'productId',
	idDisplayName: 'Product ID',
	idDescription: 'The ID of the product in the customer’s Keap, as Create or Get Many output it',
});

export const productIdField = productRecord.idField;

/** The fields of a product besides its name, in Keap REST's names on the way out. */
export const productFields: INodeProperties[] = [
	{
		displayName: 'Active',
		name: 'active',
		type: 'boolean',
		default: true,
		description: 'Whether the product can be sold (shown in the Keap shop and on order forms)',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'The product’s full description',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'What the product is called',
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'The price of one unit, in the Keap account’s currency, e.g. 19.99',
	},
	{
		displayName: 'Short Description',
		name: 'shortDescription',
		type: 'string',
		default: '',
		description: 'A one-line description',
	},
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '',
		description:
			'The stock-keeping unit, the product’s own code. Give one on Create: a create whose answer is lost is then looked up by it instead of reported as unknown.',
	},
	{
		displayName: 'Subscription Only',
		name: 'subscriptionOnly',
		type: 'boolean',
		default: false,
		description: 'Whether the product is sold only as a subscription',
	},
];

/** Keap REST's body for the fields given; blank texts are left out. `label` names the collection. */
export function readProductFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const body: IDataObject = {};
	const text = (name: string, display: string) => {
		const value = values[name];
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'string' && typeof value !== 'number')
			throw inputError(ctx, itemIndex, `${label} → ${display} must be text`);
		return String(value).trim() || undefined;
	};
	const put = (key: string, value: unknown) => {
		if (value !== undefined) body[key] = value as IDataObject[string];
	};
	put('product_name', text('name', 'Name'));
	put('product_desc', text('description', 'Description'));
	put('product_short_desc', text('shortDescription', 'Short Description'));
	put('sku', text('sku', 'SKU'));
	if (values.price !== undefined && values.price !== '') {
		const price = typeof values.price === 'string' ? Number(values.price.trim()) : values.price;
		if (typeof price !== 'number' || !Number.isFinite(price) || price < 0)
			throw inputError(ctx, itemIndex, `${label} → Price must be a number of 0 or more`);
		body.product_price = price;
	}
	for (const [name, key, display] of [
		['active', 'active', 'Active'],
		['subscriptionOnly', 'subscription_only', 'Subscription Only'],
	] as const) {
		if (values[name] === undefined) continue;
		const flag = readBoolean(values[name]);
		if (flag === undefined)
			throw inputError(ctx, itemIndex, `${label} → ${display} must be true or false`);
		body[key] = flag;
	}
	return body;
}

/** How a product is shown in a dropdown: its name, its SKU when it has one, and its ID. */
export function productLabel(record: IDataObject): string {
	const name =
		typeof record.product_name === 'string' && record.product_name.trim()
			? record.product_name.trim()
			: 'Unnamed product';
	const sku = typeof record.sku === 'string' && record.sku.trim() ? ` · ${record.sku.trim()}` : '';
	return `${name}${sku} (#${String(record.id)})`;
}

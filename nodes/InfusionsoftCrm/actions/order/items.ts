import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { wholeId } from './fields';

export const itemsField: INodeProperties = {
	displayName: 'Items',
	name: 'items',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	required: true,
	default: {},
	placeholder: 'Add Item',
	description: 'The products ordered: at least one, each with its quantity',
	options: [
		{
			displayName: 'Item',
			name: 'item',
			values: [
				{
					displayName: 'Product Name or ID',
					name: 'productId',
					type: 'options',
					typeOptions: {
						loadOptionsMethod: 'getProducts',
						loadOptionsDependsOn: ['instance.value'],
					},
					required: true,
					default: '',
					description:
						'The product, from the chosen instance’s products. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Quantity',
					name: 'quantity',
					type: 'number',
					typeOptions: { minValue: 1, numberPrecision: 0 },
					required: true,
					default: 1,
					description: 'How many units of the product (a whole number of 1 or more)',
				},
				{
					displayName: 'Price',
					name: 'price',
					type: 'string',
					default: '',
					placeholder: '19.99',
					description:
						'The price of one unit in this order; leave empty for the product’s own price',
				},
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					default: '',
					description: 'A note on this line of the order',
				},
			],
		},
	],
};

/**
 * Keap REST's `order_items` from the Items field, every row checked before anything is sent:
 * errors name the row (from 1, as the editor shows them), the field and the n8n item.
 */
export function readOrderItems(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = ctx.getNodeParameter('items', itemIndex, {}) as IDataObject;
	const rows = raw?.item;
	if (rows !== undefined && !Array.isArray(rows))
		throw inputError(ctx, itemIndex, 'Items must be a list of products and quantities');
	if (!rows || rows.length === 0) {
		throw inputError(
			ctx,
			itemIndex,
			'Items is empty: an order needs at least one item',
			'Add an item with a product and its quantity.',
		);
	}
	return rows.map((row, i) => {
		const at = `Items, row ${i + 1}:`;
		if (typeof row !== 'object' || row === null || Array.isArray(row))
			throw inputError(ctx, itemIndex, `${at} not a product and a quantity`);
		const entry = row as IDataObject;
		const productId = wholeId(entry.productId);
		if (productId === undefined) {
			throw inputError(
				ctx,
				itemIndex,
				`${at} Product ${entry.productId === undefined || entry.productId === '' ? 'is empty' : 'ID must be a whole number'}`,
				'Choose a product from the list, or map its "id", e.g. {{ $json.productId }}.',
			);
		}
		const quantity =
			typeof entry.quantity === 'string' && /^\s*[0-9]+\s*$/.test(entry.quantity)
				? Number(entry.quantity)
				: entry.quantity;
		if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1)
			throw inputError(ctx, itemIndex, `${at} Quantity must be a whole number of 1 or more`);
		const item: IDataObject = { product_id: productId, quantity };
		const rawPrice = typeof entry.price === 'string' ? entry.price.trim() : entry.price;
		if (rawPrice !== undefined && rawPrice !== null && rawPrice !== '') {
			const price = typeof rawPrice === 'string' ? Number(rawPrice) : rawPrice;
			if (typeof price !== 'number' || !Number.isFinite(price) || price < 0)
				throw inputError(ctx, itemIndex, `${at} Price must be a number of 0 or more, e.g. 19.99`);
			item.price = price;
		}
		if (entry.description !== undefined && entry.description !== null && entry.description !== '') {
			if (typeof entry.description !== 'string' && typeof entry.description !== 'number')
				throw inputError(ctx, itemIndex, `${at} Description must be text`);
			const description = String(entry.description).trim();
			if (description) item.description = description;
		}
		return item;
	});
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { idParameter, inputError, parseTags, textParameter } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { readDate } from './fields';
import { itemsField, readOrderItems } from './items';
import { readShippingAddress, shippingAddressField } from './shipping';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create an e-commerce order for a contact, with its items (Keap REST)',
	action: 'Create an order',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

const ORDER_TYPES = ['Online', 'Offline'];

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123',
		description: 'The contact who places the order (their Keap ID)',
	},
	{
		displayName: 'Order Title',
		name: 'orderTitle',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Web order 1001',
		description: 'What the order is called in Keap',
	},
	{
		displayName: 'Order Type',
		name: 'orderType',
		type: 'options',
		options: [
			{ name: 'Online', value: 'Online', description: 'Placed through a web store or order form' },
			{ name: 'Offline', value: 'Offline', description: 'Taken by phone, mail or in person' },
		],
		default: 'Online',
		description: 'How the order was placed',
	},
	itemsField,
	additionalFieldsField([
		{
			displayName: 'Order Date',
			name: 'orderDate',
			type: 'dateTime',
			default: '',
			description: 'When the order was placed; now when left out',
		},
		{
			displayName: 'Promo Codes',
			name: 'promoCodes',
			type: 'string',
			default: '',
			placeholder: 'SPRING10, FREESHIP',
			description: 'Comma-separated promotion codes to apply (or a list from an expression)',
		},
		shippingAddressField,
	]),
];

/** An order has no natural key to look it up by: a create whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const contactId = idParameter(
		this,
		item.index,
		'contactId',
		'Contact ID',
		'Map the "id" of a contact, e.g. {{ $json.contactId }}.',
	);
	const title = textParameter(this, 'orderTitle', 'Order Title', item.index, { required: true });
	const type = textParameter(this, 'orderType', 'Order Type', item.index);
	if (!ORDER_TYPES.includes(type))
		throw inputError(this, item.index, `Order Type must be ${ORDER_TYPES.join(' or ')}`);
	const orderItems = readOrderItems(this, item.index);
	const additional = this.getNodeParameter('additionalFields', item.index, {}) as IDataObject;
	const date = readDate(this, item.index, additional.orderDate, 'Additional Fields → Order Date');
	const promoCodes = parseTags(additional.promoCodes);
	if (promoCodes === undefined)
		throw inputError(
			this,
			item.index,
			'Additional Fields → Promo Codes must be a comma-separated text or a list of texts',
		);
	const shipping = readShippingAddress(this, item.index, additional.shippingAddress);
	const body: IDataObject = {
		contact_id: Number(contactId),
		order_title: title,
		order_type: type,
		order_date: date ?? new Date().toISOString(),
		order_items: orderItems,
		...(promoCodes.length > 0 ? { promo_codes: promoCodes } : {}),
		...(shipping ? { shipping_address: shipping } : {}),
	};
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{ method: 'POST', path: '/orders', body, expect: 'object' },
		{
			ifUnknown:
				'The order may or may not have been created: check the contact’s orders in the customer’s Keap (Order → Get Many with their Contact ID) before running this item again.',
		},
	);
}

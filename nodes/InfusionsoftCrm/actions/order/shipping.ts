import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';

/** The shipping address's fields: n8n's name, Keap REST's name, the label. */
const ADDRESS = [
	['firstName', 'first_name', 'First Name'],
	['lastName', 'last_name', 'Last Name'],
	['company', 'company', 'Company'],
	['line1', 'line1', 'Street Address Line 1'],
	['line2', 'line2', 'Street Address Line 2'],
	['locality', 'locality', 'City'],
	['region', 'region', 'Region'],
	['zipCode', 'zip_code', 'Postal Code'],
	['countryCode', 'country_code', 'Country Code'],
	['phone', 'phone', 'Phone'],
] as const;

const DESCRIPTIONS: Record<string, string> = {
	region: 'The state or province, e.g. Arizona',
	countryCode: 'The country as an ISO 3166 three-letter code, e.g. USA',
};

export const shippingAddressField: INodeProperties = {
	displayName: 'Shipping Address',
	name: 'shippingAddress',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Shipping Address',
	description: 'Where the order is shipped',
	options: [
		{
			displayName: 'Address',
			name: 'address',
			values: ADDRESS.map(([name, , displayName]) => ({
				displayName,
				name,
				type: 'string' as const,
				default: '',
				...(DESCRIPTIONS[name] ? { description: DESCRIPTIONS[name] } : {}),
			})),
		},
	],
};

/** Keap REST's `shipping_address`, or undefined when no part of it is filled in. */
export function readShippingAddress(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): IDataObject | undefined {
	if (value === undefined || value === null) return undefined;
	const address = (value as IDataObject).address;
	if (address === undefined) return undefined;
	if (typeof address !== 'object' || address === null || Array.isArray(address))
		throw inputError(ctx, itemIndex, 'Additional Fields → Shipping Address must be an address');
	const body: IDataObject = {};
	for (const [name, key, label] of ADDRESS) {
		const part = (address as IDataObject)[name];
		if (part === undefined || part === null || part === '') continue;
		if (typeof part !== 'string' && typeof part !== 'number')
			throw inputError(
				ctx,
				itemIndex,
				`Additional Fields → Shipping Address → ${label} must be text`,
			);
		const text = String(part).trim();
		if (text) body[key] = text;
	}
	return Object.keys(body).length > 0 ? body : undefined;
}

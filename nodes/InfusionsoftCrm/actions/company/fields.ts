import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { readText } from '../../helpers/collectionValues';
import { keapRecord } from '../keapRecord';

export const companyRecord = keapRecord({
	noun: 'company',
	article: 'a',
	collection: '/companies',
	idName: 'companyId',
	idDisplayName: 'Company ID',
	idDescription:
		'The ID of the company in the customer’s Keap, e.g. the ID that Create or Get Many of companies gave',
});

export const companyIdField = companyRecord.idField;

/** The fields of a company besides its name, in Keap REST v1's names on the way out. */
export const companyFields: INodeProperties[] = [
	{
		displayName: 'City',
		name: 'city',
		type: 'string',
		default: '',
		description: 'The city of the company’s address (address.locality)',
	},
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		description: 'The name of the company (company_name)',
	},
	{
		displayName: 'Country Code',
		name: 'countryCode',
		type: 'string',
		default: '',
		placeholder: 'USA',
		description: 'The country of the address as an ISO 3166 code, e.g. USA (address.country_code)',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'info@example.com',
		default: '',
		description: 'The company’s email address (email_address)',
	},
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Free text about the company (notes)',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: 'The company’s phone number (phone_number.number)',
	},
	{
		displayName: 'Postal Code',
		name: 'postalCode',
		type: 'string',
		default: '',
		description: 'The ZIP or postal code of the address (address.zip_code)',
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'Arizona',
		description: 'The state, province or region of the address (address.region)',
	},
	{
		displayName: 'Street Address',
		name: 'street',
		type: 'string',
		default: '',
		description: 'The first line of the address (address.line1)',
	},
	{
		displayName: 'Street Address Line 2',
		name: 'street2',
		type: 'string',
		default: '',
		description: 'The second line of the address (address.line2)',
	},
	{
		displayName: 'Website',
		name: 'website',
		type: 'string',
		placeholder: 'https://example.com',
		default: '',
		description: 'The company’s website (website)',
	},
];

const ADDRESS: Record<string, string> = {
	street: 'line1',
	street2: 'line2',
	city: 'locality',
	region: 'region',
	postalCode: 'zip_code',
	countryCode: 'country_code',
};

/** Keap REST's body for the fields given; blank values are left out. */
export function readCompanyFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const text = (name: string, displayName: string) =>
		readText(ctx, itemIndex, values, name, `${label} → ${displayName}`);
	const body: IDataObject = {};
	const name = text('companyName', 'Company Name');
	if (name !== undefined) body.company_name = name;
	const email = text('email', 'Email');
	if (email !== undefined) {
		if (!/^[^\s@]+@[^\s@]+$/.test(email))
			throw inputError(ctx, itemIndex, `${label} → Email is not an email address`);
		body.email_address = email;
	}
	const phone = text('phone', 'Phone');
	if (phone !== undefined) body.phone_number = { number: phone };
	const website = text('website', 'Website');
	if (website !== undefined) body.website = website;
	const notes = text('notes', 'Notes');
	if (notes !== undefined) body.notes = notes;
	const address: IDataObject = {};
	for (const [name, key] of Object.entries(ADDRESS)) {
		const displayName = companyFields.find((field) => field.name === name)?.displayName ?? name;
		const value = text(name, displayName);
		if (value !== undefined) address[key] = value;
	}
	if (Object.keys(address).length > 0) body.address = address;
	return body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ElementKey } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import type { CommonContact, ContactFilters } from '../../helpers/contacts';
import { COMMON_CONTACT_FIELDS, CONTACT_SHAPES } from '../../helpers/contacts';
import { keapRecord } from '../keapRecord';

/** The contact ID of the record in the customer's Keap (not an instance ID). */
export const contactRecord = keapRecord({
	noun: 'contact',
	article: 'a',
	collection: '/contacts',
	idName: 'contactId',
	idDisplayName: 'Contact ID',
	idDescription:
		'The ID of the contact in the customer’s Keap, e.g. the ID that Create or Get Many of contacts gave',
});

export const contactIdField = contactRecord.idField;
export const contactIdParameter = contactRecord.idParameter;
export const contactNotFound = contactRecord.notFound;

const common: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		description: 'REST: company.company_name; legacy: Company',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The primary email. REST: email_addresses[EMAIL1]; legacy: Email.',
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		description: 'REST: given_name; legacy: FirstName',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		description: 'REST: family_name; legacy: LastName',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: 'The primary phone number. REST: phone_numbers[PHONE1]; legacy: Phone1.',
	},
];

export function contactFieldsField(name: string, displayName: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: common,
	};
}

export const additionalJsonField: INodeProperties = {
	displayName: 'Additional Fields (JSON)',
	name: 'additionalJson',
	type: 'json',
	default: '{}',
	description:
		'Any other fields, in the element’s own names, sent as they are, e.g. {"middle_name": "Q", "job_title": "CEO"} for Keap REST or {"JobTitle": "CEO"} for the legacy element. They win over the fields above.',
};

function readJsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(
				ctx,
				itemIndex,
				`${label} is not valid JSON`,
				'Give a JSON object, e.g. {"job_title": "CEO"}.',
			);
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw inputError(
			ctx,
			itemIndex,
			`${label} must be a JSON object`,
			'Give a JSON object, e.g. {"job_title": "CEO"}.',
		);
	}
	return Object.fromEntries(
		Object.entries(parsed as IDataObject).filter(([key]) => key !== '__proto__'),
	);
}

export function readAdditionalJson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'additionalJson',
): IDataObject {
	return readJsonObject(
		ctx,
		itemIndex,
		ctx.getNodeParameter(name, itemIndex, '{}'),
		'Additional Fields (JSON)',
	);
}

/** The common fields of a collection: text (a number from an expression is taken as text), blank means "not given". */
export function readCommonFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): CommonContact {
	const values = ctx.getNodeParameter(name, itemIndex, {}) as IDataObject;
	const out: CommonContact = {};
	for (const field of COMMON_CONTACT_FIELDS) {
		const value = values[field];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
			throw inputError(ctx, itemIndex, `${label} → ${field} must be text`);
		}
		const text = String(value).trim();
		if (text !== '') out[field] = text;
	}
	if (out.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(out.email)) {
		throw inputError(ctx, itemIndex, `${label} → Email is not an email address`);
	}
	return out;
}

/** The element's body for a contact: the common fields mapped, then the JSON's fields as given. */
export function contactBody(
	element: ElementKey,
	fields: CommonContact,
	additional: IDataObject,
): IDataObject {
	return { ...CONTACT_SHAPES[element].toElement(fields), ...additional };
}

export function readFilters(ctx: IExecuteFunctions, itemIndex: number): ContactFilters {
	const filters: ContactFilters = readCommonFields(ctx, itemIndex, 'filters', 'Filters');
	const since = (ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject).updatedSince;
	if (since !== undefined && since !== '') {
		const date =
			typeof since === 'string' || typeof since === 'number' ? new Date(since) : undefined;
		if (!date || Number.isNaN(date.getTime()))
			throw inputError(ctx, itemIndex, 'Filters → Updated Since is not a date');
		filters.updatedSince = date.toISOString();
	}
	return filters;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idParameter, inputError, textParameter } from '../../../../lib/params/input';

const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;

export const contentFields: INodeProperties[] = [
	{
		displayName: 'HTML Content',
		name: 'htmlContent',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description:
			'The body as HTML, written as plain HTML: Keap wants it base64-encoded, and the node encodes it',
	},
	{
		displayName: 'Plain Content',
		name: 'plainContent',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description:
			'The body as plain text, written as it is: Keap wants it base64-encoded, and the node encodes it',
	},
];

/** `html_content` and `plain_content` as Keap wants them (base64 of UTF-8); blank ones left out. */
export function readContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	label: string,
): IDataObject {
	const body: IDataObject = {};
	for (const [name, keap, title] of [
		['htmlContent', 'html_content', 'HTML Content'],
		['plainContent', 'plain_content', 'Plain Content'],
	] as const) {
		const value = values[name];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value !== 'string')
			throw inputError(ctx, itemIndex, `${label}${title} must be text`);
		if (value.trim() !== '') body[keap] = Buffer.from(value, 'utf8').toString('base64');
	}
	return body;
}

/** A required email address parameter, trimmed. */
export function addressParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const address = textParameter(ctx, name, label, itemIndex, { required: true });
	if (!EMAIL_ADDRESS.test(address))
		throw inputError(ctx, itemIndex, `${label} is not an email address`);
	return address;
}

/** Email addresses separated by commas (Keap keeps CC and BCC as one text); each is checked. */
export function addressList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	if (!Array.isArray(value) && typeof value !== 'string')
		throw inputError(ctx, itemIndex, `${label} must be a comma-separated text of email addresses`);
	const addresses = parts
		.map((part) => (typeof part === 'string' ? part.trim() : ''))
		.filter(Boolean);
	const wrong = parts.some((part) => typeof part !== 'string');
	if (wrong || addresses.some((address) => !EMAIL_ADDRESS.test(address)))
		throw inputError(ctx, itemIndex, `${label} holds something that is not an email address`);
	return addresses.length > 0 ? addresses.join(',') : undefined;
}

/** A date field as Keap's ISO 8601 text; blank: undefined. */
export function dateValue(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date =
		typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN);
	if (Number.isNaN(date.getTime())) throw inputError(ctx, itemIndex, `${label} is not a date`);
	return date.toISOString();
}

export const contactIdField: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '123',
	description: 'The contact the email was sent to (its Keap ID)',
};

export function contactIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(
		ctx,
		itemIndex,
		'contactId',
		'Contact ID',
		'Map the "id" of a contact, e.g. {{ $json.id }} from Contact → Get Many.',
	);
}

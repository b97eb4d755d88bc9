import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import {
	idParameter,
	inputError,
	nodeParameter,
	textParameter,
} from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { contentFields, readContent } from './fields';

export const option = {
	name: 'Send',
	value: 'send',
	description:
		'Send an email through the customer’s Keap to one or more of its contacts (Keap REST)',
	action: 'Send an email',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

const ADDRESS_FIELDS = ['EMAIL1', 'EMAIL2', 'EMAIL3'];

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Contact IDs',
		name: 'contactIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '12, 34',
		description:
			'The contacts to send the email to: their Keap IDs, comma-separated (or a list from an expression)',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1',
		description: 'The Keap user the email is sent as (its Keap user ID)',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		description: 'The subject line of the email',
	},
	...contentFields.map((field) => ({
		...field,
		description: `${field.description}. Give HTML Content, Plain Content or both.`,
	})),
	additionalFieldsField([
		{
			displayName: 'Address Field',
			name: 'addressField',
			type: 'options',
			options: ADDRESS_FIELDS.map((value) => ({ name: value, value })),
			default: 'EMAIL1',
			description: 'Which of each contact’s email addresses to send to',
		},
	]),
];

function contactIdsParameter(ctx: IExecuteFunctions, itemIndex: number): number[] {
	const raw = nodeParameter(ctx, 'contactIds', itemIndex, '');
	const parts =
		typeof raw === 'number'
			? [raw]
			: typeof raw === 'string'
				? raw.split(',')
				: Array.isArray(raw)
					? raw
					: undefined;
	const texts = parts
		?.map((part) =>
			typeof part === 'number' || typeof part === 'string' ? String(part).trim() : '?',
		)
		.filter((part) => part !== '');
	if (!texts || texts.some((part) => !/^[1-9][0-9]{0,18}$/.test(part)))
		throw inputError(
			ctx,
			itemIndex,
			'Contact IDs must be whole numbers, comma-separated',
			'For example: 12, 34, or a list such as {{ [$json.id] }}.',
		);
	if (texts.length === 0) throw inputError(ctx, itemIndex, 'Contact IDs is empty');
	return [...new Set(texts.map(Number))];
}

/**
 * Sent at most once: an email that may have gone out is never sent again. Keap answers a send
 * with no record (often no body at all), so any 2xx answer is taken as sent.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const contacts = contactIdsParameter(this, item.index);
	const userId = idParameter(
		this,
		item.index,
		'userId',
		'User ID',
		'The ID of a Keap user of the customer’s account.',
	);
	const subject = textParameter(this, 'subject', 'Subject', item.index, { required: true });
	const content = readContent(
		this,
		item.index,
		{
			htmlContent: this.getNodeParameter('htmlContent', item.index, ''),
			plainContent: this.getNodeParameter('plainContent', item.index, ''),
		},
		'',
	);
	if (Object.keys(content).length === 0)
		throw inputError(
			this,
			item.index,
			'HTML Content and Plain Content are both empty',
			'Give either or both.',
		);
	const extra = this.getNodeParameter('additionalFields', item.index, {}) as IDataObject;
	const addressField = extra.addressField ?? 'EMAIL1';
	if (typeof addressField !== 'string' || !ADDRESS_FIELDS.includes(addressField))
		throw inputError(
			this,
			item.index,
			`Additional Fields → Address Field must be one of ${ADDRESS_FIELDS.join(', ')}`,
		);
	const body: IDataObject = {
		contacts,
		user_id: Number(userId),
		subject,
		...content,
		address_field: addressField,
	};
	const hub = await openHub(this, item);
	await hub.sendOnce(
		{ method: 'POST', path: '/emails/queue', body },
		{
			ifUnknown:
				'The email may or may not have been sent: check the contacts’ email history in the customer’s Keap (Email → Get Many) before running this item again.',
		},
	);
	return { sent: true, contacts, userId: Number(userId), subject, addressField };
}

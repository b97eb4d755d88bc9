import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, textParameter } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	addressList,
	addressParameter,
	contactIdField,
	contactIdParameter,
	contentFields,
	dateValue,
	readContent,
} from './fields';

export const option = {
	name: 'Record',
	value: 'record',
	description:
		'Record in a contact’s history an email sent outside Keap (Keap REST); nothing is sent',
	action: 'Record a sent email',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

const DATES = [
	['sentDate', 'sent_date', 'Sent Date', 'When the email was sent'],
	['receivedDate', 'received_date', 'Received Date', 'When the email was received'],
	['openedDate', 'opened_date', 'Opened Date', 'When the contact opened the email'],
	['clickedDate', 'clicked_date', 'Clicked Date', 'When the contact clicked a link in the email'],
] as const;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactIdField,
	{
		displayName: 'Sent To Address',
		name: 'sentTo',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description: 'The address the email was sent to',
	},
	{
		displayName: 'Sent From Address',
		name: 'sentFrom',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sales@example.com',
		description: 'The address the email was sent from',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		description: 'The subject line of the email',
	},
	additionalFieldsField([
		{
			displayName: 'BCC Addresses',
			name: 'bcc',
			type: 'string',
			default: '',
			description: 'Comma-separated addresses the email was blind-copied to',
		},
		{
			displayName: 'CC Addresses',
			name: 'cc',
			type: 'string',
			default: '',
			description: 'Comma-separated addresses the email was copied to',
		},
		...DATES.map(
			([name, , displayName, description]): INodeProperties => ({
				displayName,
				name,
				type: 'dateTime',
				default: '',
				description,
			}),
		),
		...contentFields,
		{
			displayName: 'Reply-To Address',
			name: 'replyTo',
			type: 'string',
			default: '',
			description: 'The address replies went to, when not the sender’s',
		},
	]),
];

/** Keap gives a recorded email no natural key: an answer that is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const contactId = contactIdParameter(this, item.index);
	const body: IDataObject = {
		contact_id: Number(contactId),
		sent_to_address: addressParameter(this, 'sentTo', 'Sent To Address', item.index),
		sent_from_address: addressParameter(this, 'sentFrom', 'Sent From Address', item.index),
		subject: textParameter(this, 'subject', 'Subject', item.index, { required: true }),
	};
	const extra = this.getNodeParameter('additionalFields', item.index, {}) as IDataObject;
	const label = 'Additional Fields → ';
	Object.assign(body, readContent(this, item.index, extra, label));
	for (const [name, keap, title] of DATES) {
		const date = dateValue(this, item.index, extra[name], `${label}${title}`);
		if (date !== undefined) body[keap] = date;
	}
	const cc = addressList(this, item.index, extra.cc, `${label}CC Addresses`);
	if (cc !== undefined) body.sent_to_cc_addresses = cc;
	const bcc = addressList(this, item.index, extra.bcc, `${label}BCC Addresses`);
	if (bcc !== undefined) body.sent_to_bcc_addresses = bcc;
	const replyTo = addressList(this, item.index, extra.replyTo, `${label}Reply-To Address`);
	if (replyTo?.includes(','))
		throw inputError(this, item.index, `${label}Reply-To Address takes one address`);
	if (replyTo !== undefined) body.sent_from_reply_address = replyTo;

	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{ method: 'POST', path: '/emails', body, expect: 'object' },
		{
			ifUnknown:
				'The email may or may not have been recorded: check the contact’s email history in the customer’s Keap before running this item again.',
		},
	);
}

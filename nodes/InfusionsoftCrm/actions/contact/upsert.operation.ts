import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, textParameter } from '../../../../lib/params/input';
import { CONTACT_SHAPES, withCommonFields } from '../../helpers/contacts';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	additionalJsonField,
	contactBody,
	contactFieldsField,
	readAdditionalJson,
	readCommonFields,
} from './fields';

export const option = {
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: 'Create or update a contact',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

const MATCH_BY = ['Email', 'EmailAndName'];

const fieldsField = contactFieldsField('fields', 'Fields');

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description:
			'The email that identifies the contact: the contact that has it is updated, or a new contact is created with it',
	},
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		options: [
			{
				name: 'Email',
				value: 'Email',
				description: 'The contact with this email is updated',
			},
			{
				name: 'Email and Name',
				value: 'EmailAndName',
				description:
					'Only a contact with this email and the same first and last name is updated; otherwise a new contact is created',
			},
		],
		default: 'Email',
		description: 'Which contact counts as the same one (Keap’s duplicate option)',
	},
	{
		...fieldsField,
		options: fieldsField.options?.filter((field) => 'name' in field && field.name !== 'email'),
	},
	additionalJsonField,
];

/**
 * PUT /hubs/crm/contacts with Keap's `duplicate_option`: the contact with the email (and name)
 * is updated, or one is created. Sending it again changes nothing more, so a lost answer is
 * simply retried.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const email = textParameter(this, 'email', 'Email', item.index, {
		required: true,
		hint: 'Create or Update finds the contact by its email: map one, e.g. {{ $json.email }}.',
	});
	if (!/^[^\s@]+@[^\s@]+$/.test(email))
		throw inputError(this, item.index, 'Email is not an email address');
	const fields = { ...readCommonFields(this, item.index, 'fields', 'Fields'), email };
	const additional = readAdditionalJson(this, item.index);
	const matchBy = this.getNodeParameter('matchBy', item.index, 'Email') as string;
	if (!MATCH_BY.includes(matchBy))
		throw inputError(this, item.index, 'Match By must be Email or Email and Name');
	if (matchBy === 'EmailAndName' && (!fields.firstName || !fields.lastName))
		throw inputError(
			this,
			item.index,
			'Match By Email and Name needs a First Name and a Last Name under Fields',
		);
	const hub = await openHub(this, item);
	const response = await hub.request<IDataObject>({
		method: 'PUT',
		path: '/contacts',
		body: { ...contactBody(hub.instance.element, fields, additional), duplicate_option: matchBy },
		expect: 'object',
	});
	return withCommonFields(CONTACT_SHAPES[hub.instance.element], response.body);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { contactIdParameter } from '../contact/fields';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { noteFields, readNoteFields } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Add a note to a contact in the customer’s Keap (Keap REST)',
	action: 'Create a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123',
		description: 'The ID of the contact the note is on, e.g. the ID that Contact → Create gave',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Called about the renewal',
		description: 'The title of the note',
	},
	additionalFieldsField(noteFields.filter((field) => field.name !== 'title')),
];

/** A note has no natural key to look it up by: a create whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const contactId = contactIdParameter(this, item.index);
	const title = this.getNodeParameter('title', item.index, '') as IDataObject[string];
	const values = {
		...(this.getNodeParameter('additionalFields', item.index, {}) as IDataObject),
		title,
	};
	const fields = readNoteFields(this, item.index, values, 'Fields');
	if (!fields.title) throw inputError(this, item.index, 'Title is empty');
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{
			method: 'POST',
			path: '/notes',
			body: { contact_id: Number(contactId), ...fields },
			expect: 'object',
		},
		{
			ifUnknown: `The note may or may not have been created: check the notes of contact ${contactId} in the customer’s Keap before running this item again.`,
		},
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { noteFields, noteIdField, noteIdParameter, noteNotFound, readNoteFields } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change the title, text, type or user of a note',
	action: 'Update a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	noteIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: noteFields,
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = noteIdParameter(this, item.index);
	const body = readNoteFields(
		this,
		item.index,
		this.getNodeParameter('updateFields', item.index, {}) as IDataObject,
		'Update Fields',
	);
	if (Object.keys(body).length === 0)
		throw inputError(this, item.index, 'Nothing to update', 'Add a field under Update Fields.');
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'PATCH',
			path: `/notes/${id}`,
			body,
			expect: 'object',
			hints: noteNotFound(hub, id),
		})
	).body;
}

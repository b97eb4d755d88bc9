import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { booleanParameter } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { contactIdField, contactIdParameter } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a contact',
	action: 'Delete a contact',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactIdField,
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing contact counts as deleted, so that a rerun does not fail',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = contactIdParameter(this, item.index);
	const ignoreMissing = booleanParameter(
		this,
		'ignoreMissing',
		'Succeed If Already Deleted',
		item.index,
		true,
	);
	const hub = await openHub(this, item);
	const response = await hub.request({
		method: 'DELETE',
		path: `/contacts/${id}`,
		accept: ignoreMissing ? [404] : [],
		hints: {
			404: `No contact ${id} in the Keap account of instance ${hub.instance.id}: check the Contact ID.`,
		},
	});
	return { id: Number(id), deleted: true, alreadyDeleted: response.statusCode === 404 };
}

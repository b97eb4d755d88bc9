import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { limitParameter } from '../../../../lib/params/input';
import { instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { contactIdField, contactIdParameter, contactNotFound } from './fields';

export const option = {
	name: 'Get Tags',
	value: 'getTags',
	description: 'List the tags applied to a contact, with when each was applied (Keap REST)',
	action: 'Get the tags of a contact',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactIdField,
	...returnAllFields,
];

/**
 * One item per applied tag, as Keap gives it: `{ tag: { id, name, category }, date_applied }`.
 * The platform answers an empty list with a 404, as it does a missing contact: when nothing
 * came back, the contact is read to tell the two apart.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const id = contactIdParameter(this, item.index);
	const limit = limitParameter(this, item.index);
	const hub = await openHub(this, item);
	const tags = await hub.list(
		`/contacts/${id}/tags`,
		{},
		limit,
		'tags of the contact',
		(record) => (record.tag as IDataObject | undefined)?.id,
	);
	if (tags.length === 0) {
		await hub.request({
			method: 'GET',
			path: `/contacts/${id}`,
			expect: 'object',
			hints: contactNotFound(hub, id),
		});
	}
	return tags;
}

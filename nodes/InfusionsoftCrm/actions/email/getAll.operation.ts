import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter } from '../../../../lib/params/input';
import { ceqlText } from '../../helpers/contacts';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the emails in contacts’ histories, by contact or address (Keap REST)',
	action: 'Get many emails',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
			placeholder: '123',
			description: 'Only emails of this contact (its Keap ID)',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			default: '',
			placeholder: 'name@email.com',
			description: 'Only emails sent to this address',
		},
	]),
];

/** Keap v1's query fields (`contact_id`, `email`) as a CEQL condition, as the element takes them. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const conditions: string[] = [];
	const contactId = filters.contactId;
	if (contactId !== undefined && contactId !== '') {
		const id = typeof contactId === 'number' ? String(contactId) : contactId;
		if (typeof id !== 'string' || !/^[1-9][0-9]{0,18}$/.test(id.trim()))
			throw inputError(this, item.index, 'Filters → Contact ID must be a whole number');
		conditions.push(`contact_id = ${id.trim()}`);
	}
	const email = filters.email;
	if (email !== undefined && email !== '') {
		if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()))
			throw inputError(this, item.index, 'Filters → Email is not an email address');
		conditions.push(`email = ${ceqlText(email.trim())}`);
	}
	const hub = await openHub(this, item);
	return await hub.list('/emails', { where: allOf(conditions) }, limit, 'emails');
}

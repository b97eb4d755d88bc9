import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CONTACT_SHAPES, withCommonFields } from '../../helpers/contacts';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { contactIdField, contactIdParameter, contactNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a contact by ID',
	action: 'Get a contact',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceLocatorField, contactIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = contactIdParameter(this, item.index);
	const hub = await openHub(this, item);
	const response = await hub.request<IDataObject>({
		method: 'GET',
		path: `/contacts/${id}`,
		expect: 'object',
		hints: contactNotFound(hub, id),
	});
	return withCommonFields(CONTACT_SHAPES[hub.instance.element], response.body);
}

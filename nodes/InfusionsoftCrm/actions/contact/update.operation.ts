import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { CONTACT_SHAPES, withCommonFields } from '../../helpers/contacts';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	additionalJsonField,
	contactBody,
	contactFieldsField,
	contactIdField,
	contactIdParameter,
	contactNotFound,
	readAdditionalJson,
	readCommonFields,
} from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a contact',
	action: 'Update a contact',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactIdField,
	contactFieldsField('updateFields', 'Update Fields'),
	additionalJsonField,
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = contactIdParameter(this, item.index);
	const fields = readCommonFields(this, item.index, 'updateFields', 'Update Fields');
	const additional = readAdditionalJson(this, item.index);
	if (Object.keys(fields).length === 0 && Object.keys(additional).length === 0) {
		throw inputError(
			this,
			item.index,
			'Nothing to update',
			'Add a field under Update Fields, or give fields in Additional Fields (JSON).',
		);
	}
	const hub = await openHub(this, item);
	const response = await hub.request<IDataObject>({
		method: 'PATCH',
		path: `/contacts/${id}`,
		body: contactBody(hub.instance.element, fields, additional),
		expect: 'object',
		hints: contactNotFound(hub, id),
	});
	return withCommonFields(CONTACT_SHAPES[hub.instance.element], response.body);
}

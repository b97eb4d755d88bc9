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
	readAdditionalJson,
	readCommonFields,
} from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a contact in the customer’s Keap',
	action: 'Create a contact',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactFieldsField('fields', 'Fields'),
	additionalJsonField,
];

/**
 * POST /hubs/crm/contacts, at most once: when the answer is lost, the contact is looked up by
 * email before it is sent again; without an email the outcome is reported as unknown.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const fields = readCommonFields(this, item.index, 'fields', 'Fields');
	const additional = readAdditionalJson(this, item.index);
	if (
		!fields.firstName &&
		!fields.lastName &&
		!fields.email &&
		Object.keys(additional).length === 0
	) {
		throw inputError(
			this,
			item.index,
			'A contact needs at least a First Name, a Last Name or an Email',
			'Fill in Fields, or give the element’s own fields in Additional Fields (JSON).',
		);
	}
	const hub = await openHub(this, item);
	const shape = CONTACT_SHAPES[hub.instance.element];
	const body = contactBody(hub.instance.element, fields, additional);
	const { email } = fields;
	const created = await hub.sendOnce(
		{ method: 'POST', path: '/contacts', body, expect: 'object' },
		email === undefined
			? {
					ifUnknown:
						'The contact may or may not have been created, and without an email it cannot be looked up: check the customer’s Keap before running this item again.',
				}
			: {
					lookUp: async () =>
						(
							await hub.list(
								'/contacts',
								{ where: shape.byEmail(email) },
								1,
								'contacts',
								(r) => r[shape.idField],
							)
						)[0],
				},
	);
	return withCommonFields(shape, created);
}

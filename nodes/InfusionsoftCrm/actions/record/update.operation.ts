import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { autoMappedBody, mappedBody } from './body';
import {
	columnsField,
	objectField,
	objectParameter,
	recordIdField,
	recordIdParameter,
	recordNotFound,
} from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a record of any object, custom fields included',
	action: 'Update a record',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	objectField,
	recordIdField,
	columnsField(false),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const object = objectParameter(this, item.index);
	const id = recordIdParameter(this, item.index);
	const mapped = mappedBody(this, item.index);
	if (mapped && Object.keys(mapped).length === 0)
		throw inputError(this, item.index, 'Nothing to update', 'Give at least one field a value.');
	const hub = await openHub(this, item);
	const body = mapped ?? (await autoMappedBody(this, item, hub, object));
	if (Object.keys(body).length === 0)
		throw inputError(
			this,
			item.index,
			'Nothing to update: the item has none of the object’s writable fields',
			'Map the fields below instead, or give the item fields named as the object’s.',
		);
	return (
		await hub.request<IDataObject>({
			method: 'PATCH',
			path: `/${object}/${id}`,
			body,
			expect: 'object',
			hints: recordNotFound(hub, object, id),
		})
	).body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import { ignoreMissingField, ignoreMissingParameter } from '../keapRecord';
import type { ItemContext } from '../types';
import { readMetadata } from './metadata';
import {
	objectField,
	objectParameter,
	recordIdField,
	recordIdParameter,
	recordNotFound,
} from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a record of any object',
	action: 'Delete a record',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	objectField,
	recordIdField,
	ignoreMissingField('record'),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const object = objectParameter(this, item.index);
	const id = recordIdParameter(this, item.index);
	const ignoreMissing = ignoreMissingParameter(this, item.index);
	const hub = await openHub(this, item);
	const response = await hub.request({
		method: 'DELETE',
		path: `/${object}/${id}`,
		accept: ignoreMissing ? [404] : [],
		hints: recordNotFound(hub, object, id),
	});
	const alreadyDeleted = response.statusCode === 404;
	// The platform answers 404 for an object it does not have too: that is no deleted record.
	if (alreadyDeleted) await readMetadata(hub, object, item.remember);
	return { object, id: Number(id), deleted: true, alreadyDeleted };
}

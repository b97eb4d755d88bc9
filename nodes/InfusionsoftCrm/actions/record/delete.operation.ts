import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { booleanParameter } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
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
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing record counts as deleted, so that a rerun does not fail',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const object = objectParameter(this, item.index);
	const id = recordIdParameter(this, item.index);
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
		path: `/${object}/${id}`,
		accept: ignoreMissing ? [404] : [],
		hints: recordNotFound(hub, object, id),
	});
	const alreadyDeleted = response.statusCode === 404;
	// The platform answers 404 for an object it does not have too: that is no deleted record.
	if (alreadyDeleted) await readMetadata(hub, object, item.remember);
	return { object, id: Number(id), deleted: true, alreadyDeleted };
}

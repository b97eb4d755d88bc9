import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { booleanParameter } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { fileIdField, fileIdParameter, fileNotFound } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a file from the customer’s Keap',
	action: 'Delete a file',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	fileIdField,
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing file counts as deleted, so that a rerun does not fail',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = fileIdParameter(this, item.index);
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
		path: `/files/${id}`,
		accept: ignoreMissing ? [404] : [],
		hints: fileNotFound(hub, id),
	});
	return { id: Number(id), deleted: true, alreadyDeleted: response.statusCode === 404 };
}

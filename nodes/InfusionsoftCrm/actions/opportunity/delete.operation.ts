import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { booleanParameter } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { opportunityIdField, opportunityIdParameter, opportunityNotFound } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete an opportunity',
	action: 'Delete an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	opportunityIdField,
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing opportunity counts as deleted, so that a rerun does not fail',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = opportunityIdParameter(this, item.index);
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
		path: `/opportunities/${id}`,
		accept: ignoreMissing ? [404] : [],
		hints: opportunityNotFound(hub, id),
	});
	return { id: Number(id), deleted: true, alreadyDeleted: response.statusCode === 404 };
}

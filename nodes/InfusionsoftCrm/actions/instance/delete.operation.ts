import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { booleanParameter, instanceIdParameter } from '../../../../lib/params/input';
import { deleteInstance } from '../../../../lib/platform/instances';
import { instanceIdField } from '../../helpers/descriptions';
import type { ItemContext } from '../types';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete an instance; its token stops working',
	action: 'Delete an instance',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceIdField,
	{
		displayName: 'Succeed If Already Deleted',
		name: 'ignoreMissing',
		type: 'boolean',
		default: true,
		description: 'Whether a missing instance counts as deleted, so that a rerun does not fail',
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = instanceIdParameter(this, item.index);
	const ignoreMissing = booleanParameter(
		this,
		'ignoreMissing',
		'Succeed If Already Deleted',
		item.index,
		true,
	);
	const existed = await deleteInstance(item.platform, id, ignoreMissing);
	return { id: Number(id), deleted: true, alreadyDeleted: !existed };
}

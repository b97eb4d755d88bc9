import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { autoMappedBody, mappedBody } from './body';
import { columnsField, objectField, objectParameter } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a record of any object of the customer’s Keap, custom fields included',
	action: 'Create a record',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	objectField,
	columnsField(true),
];

/** Any object has no natural key the node knows: a create whose answer is lost is reported, never sent again. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const object = objectParameter(this, item.index);
	const mapped = mappedBody(this, item.index);
	const hub = await openHub(this, item);
	const body = mapped ?? (await autoMappedBody(this, item, hub, object));
	if (Object.keys(body).length === 0)
		throw inputError(
			this,
			item.index,
			'Fields: no field has a value',
			'Give at least one field a value.',
		);
	return await hub.sendOnce(
		{ method: 'POST', path: `/${object}`, body, expect: 'object' },
		{
			ifUnknown: `The ${object} record may or may not have been created: check the customer’s Keap before running this item again.`,
		},
	);
}

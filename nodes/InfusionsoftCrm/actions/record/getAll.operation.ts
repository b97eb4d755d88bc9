import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError, limitParameter, nodeParameter } from '../../../../lib/params/input';
import { instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { objectField, objectParameter } from './fields';
import { buildWhere, filtersField } from './filters';
import { readMetadata } from './metadata';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List records of any object, filtered by its filterable fields',
	action: 'Get many records',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	objectField,
	...returnAllFields,
	filtersField,
];

function conditionsParameter(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const filters = nodeParameter(ctx, 'filters', itemIndex, {});
	const conditions =
		filters !== null && typeof filters === 'object'
			? (filters as IDataObject).conditions
			: undefined;
	if (conditions === undefined) return [];
	if (!Array.isArray(conditions) || !conditions.every((c) => c !== null && typeof c === 'object'))
		throw inputError(ctx, itemIndex, 'Filters must be a list of conditions');
	return conditions as IDataObject[];
}

/** The metadata is read (once per execution) to check the filter fields, and that the object exists. */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const object = objectParameter(this, item.index);
	const limit = limitParameter(this, item.index);
	const conditions = conditionsParameter(this, item.index);
	const hub = await openHub(this, item);
	const metadata = await readMetadata(hub, object, item.remember);
	const where = buildWhere(this, item.index, conditions, metadata, object);
	return await hub.list(`/${object}`, { where }, limit, object);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	objectField,
	objectParameter,
	recordIdField,
	recordIdParameter,
	recordNotFound,
} from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a record of any object by ID',
	action: 'Get a record',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceLocatorField, objectField, recordIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const object = objectParameter(this, item.index);
	const id = recordIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/${object}/${id}`,
			expect: 'object',
			hints: recordNotFound(hub, object, id),
		})
	).body;
}

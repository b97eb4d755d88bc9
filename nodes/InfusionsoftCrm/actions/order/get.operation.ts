import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import { requireRest } from '../task/fields';
import type { ItemContext } from '../types';
import { orderIdField, orderIdParameter, orderNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an order by ID, with its items and total',
	action: 'Get an order',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceLocatorField, orderIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = orderIdParameter(this, item.index);
	const hub = await openHub(this, item);
	requireRest(this, item.index, hub, 'Orders');
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/orders/${id}`,
			expect: 'object',
			hints: orderNotFound(hub, id),
		})
	).body;
}

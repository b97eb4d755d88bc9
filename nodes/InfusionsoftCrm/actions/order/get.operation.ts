import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { orderIdField, orderIdParameter, orderNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an order by ID, with its items and total',
	action: 'Get an order',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, orderIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = orderIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/orders/${id}`,
			expect: 'object',
			hints: orderNotFound(hub, id),
		})
	).body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	opportunityIdField,
	opportunityIdParameter,
	opportunityNotFound,
	requireOpportunities,
} from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an opportunity by ID',
	action: 'Get an opportunity',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [instanceLocatorField, opportunityIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = opportunityIdParameter(this, item.index);
	const hub = await openHub(this, item);
	requireOpportunities(this, item.index, hub);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/opportunities/${id}`,
			expect: 'object',
			hints: opportunityNotFound(hub, id),
		})
	).body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { opportunityIdField, opportunityIdParameter, opportunityNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an opportunity by ID',
	action: 'Get an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, opportunityIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = opportunityIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/opportunities/${id}`,
			expect: 'object',
			hints: opportunityNotFound(hub, id),
		})
	).body;
}

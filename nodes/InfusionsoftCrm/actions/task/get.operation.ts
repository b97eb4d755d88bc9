import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { taskIdField, taskIdParameter, taskNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a task by ID',
	action: 'Get a task',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, taskIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = taskIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/tasks/${id}`,
			expect: 'object',
			hints: taskNotFound(hub, id),
		})
	).body;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { noteIdField, noteIdParameter, noteNotFound } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a note by ID',
	action: 'Get a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, noteIdField];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = noteIdParameter(this, item.index);
	const hub = await openHub(this, item);
	return (
		await hub.request<IDataObject>({
			method: 'GET',
			path: `/notes/${id}`,
			expect: 'object',
			hints: noteNotFound(hub, id),
		})
	).body;
}

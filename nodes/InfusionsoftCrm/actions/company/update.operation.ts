import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import {
	companyFields,
	companyIdField,
	companyIdParameter,
	companyNotFound,
	readCompanyFields,
} from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a company',
	action: 'Update a company',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	companyIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: companyFields,
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const id = companyIdParameter(this, item.index);
	const body = readCompanyFields(
		this,
		item.index,
		this.getNodeParameter('updateFields', item.index, {}) as IDataObject,
		'Update Fields',
	);
	if (Object.keys(body).length === 0)
		throw inputError(this, item.index, 'Nothing to update', 'Add a field under Update Fields.');
	const hub = await openHub(this, item);
	if (body.address) {
		// Keap takes the address as one object: the lines not given would be cleared.
		const stored = (
			await hub.request<IDataObject>({
				method: 'GET',
				path: `/companies/${id}`,
				expect: 'object',
				hints: companyNotFound(hub, id),
			})
		).body.address;
		const current = stored !== null && typeof stored === 'object' ? (stored as IDataObject) : {};
		body.address = { ...current, ...(body.address as IDataObject) };
	}
	return (
		await hub.request<IDataObject>({
			method: 'PATCH',
			path: `/companies/${id}`,
			body,
			expect: 'object',
			hints: companyNotFound(hub, id),
		})
	).body;
}

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField, updateFieldsField } from '../../helpers/descriptions';
import type { Hub } from '../hub';
import { updateRecord } from '../keapRecord';
import { companyFields, companyIdField, companyRecord, readCompanyFields } from './fields';

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
	updateFieldsField(companyFields),
];

/** Keap takes the address as one object: the lines not given would be cleared. */
async function keepStoredAddress(hub: Hub, id: string, body: IDataObject): Promise<void> {
	if (!body.address) return;
	const stored = (
		await hub.request<IDataObject>({
			method: 'GET',
			path: companyRecord.path(id),
			expect: 'object',
			hints: companyRecord.notFound(hub, id),
		})
	).body.address;
	const current = stored !== null && typeof stored === 'object' ? (stored as IDataObject) : {};
	body.address = { ...current, ...(body.address as IDataObject) };
}

export const execute = updateRecord(companyRecord, readCompanyFields, {
	complete: keepStoredAddress,
});

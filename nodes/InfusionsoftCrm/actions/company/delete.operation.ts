import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { companyIdField, companyRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a company',
	action: 'Delete a company',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	companyIdField,
	ignoreMissingField('company'),
];

export const execute = deleteRecord(companyRecord);

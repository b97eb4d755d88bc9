import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { opportunityIdField, opportunityRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete an opportunity',
	action: 'Delete an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	opportunityIdField,
	ignoreMissingField('opportunity'),
];

export const execute = deleteRecord(opportunityRecord);

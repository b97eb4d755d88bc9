import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField, updateFieldsField } from '../../helpers/descriptions';
import { updateRecord } from '../keapRecord';
import {
	opportunityIdField,
	opportunityRecord,
	opportunityRefused,
	opportunityUpdateFields,
	readOpportunityFields,
} from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of an opportunity, e.g. its projected revenue or next action',
	action: 'Update an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	opportunityIdField,
	updateFieldsField(opportunityUpdateFields),
];

export const execute = updateRecord(opportunityRecord, readOpportunityFields, {
	hints: opportunityRefused,
});

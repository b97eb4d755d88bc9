import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField, updateFieldsField } from '../../helpers/descriptions';
import { updateRecord } from '../keapRecord';
import { readTaskFields, taskFields, taskIdField, taskRecord } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change fields of a task, e.g. mark it completed',
	action: 'Update a task',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	taskIdField,
	updateFieldsField(taskFields),
];

export const execute = updateRecord(taskRecord, readTaskFields);

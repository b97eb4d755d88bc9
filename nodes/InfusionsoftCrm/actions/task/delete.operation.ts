import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { taskIdField, taskRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a task',
	action: 'Delete a task',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	taskIdField,
	ignoreMissingField('task'),
];

export const execute = deleteRecord(taskRecord);

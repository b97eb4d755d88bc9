import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { fileIdField, fileRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a file from the customer’s Keap',
	action: 'Delete a file',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	fileIdField,
	ignoreMissingField('file'),
];

export const execute = deleteRecord(fileRecord);

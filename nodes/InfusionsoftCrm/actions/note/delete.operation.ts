import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { noteIdField, noteRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a note',
	action: 'Delete a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	noteIdField,
	ignoreMissingField('note'),
];

export const execute = deleteRecord(noteRecord);

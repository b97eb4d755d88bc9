import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField, updateFieldsField } from '../../helpers/descriptions';
import { updateRecord } from '../keapRecord';
import { noteFields, noteIdField, noteRecord, readNoteFields } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	description: 'Change the title, text, type or user of a note',
	action: 'Update a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	noteIdField,
	updateFieldsField(noteFields),
];

export const execute = updateRecord(noteRecord, readNoteFields);

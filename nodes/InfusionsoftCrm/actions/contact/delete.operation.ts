import type { INodeProperties } from 'n8n-workflow';

import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { contactIdField, contactRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a contact',
	action: 'Delete a contact',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	instanceLocatorField,
	contactIdField,
	ignoreMissingField('contact'),
];

export const execute = deleteRecord(contactRecord);

import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { orderIdField, orderRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete an order',
	action: 'Delete an order',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	orderIdField,
	ignoreMissingField('order'),
];

export const execute = deleteRecord(orderRecord);

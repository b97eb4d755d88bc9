import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { deleteRecord, ignoreMissingField } from '../keapRecord';
import { productIdField, productRecord } from './fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a product',
	action: 'Delete a product',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	productIdField,
	ignoreMissingField('product'),
];

export const execute = deleteRecord(productRecord);

import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { getRecord } from '../keapRecord';
import { orderIdField, orderRecord } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an order by ID, with its items and total',
	action: 'Get an order',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, orderIdField];

export const execute = getRecord(orderRecord);

import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { getRecord } from '../keapRecord';
import { opportunityIdField, opportunityRecord } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get an opportunity by ID',
	action: 'Get an opportunity',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, opportunityIdField];

export const execute = getRecord(opportunityRecord);

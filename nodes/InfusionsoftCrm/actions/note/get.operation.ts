import type { INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { instanceLocatorField } from '../../helpers/descriptions';
import { getRecord } from '../keapRecord';
import { noteIdField, noteRecord } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a note by ID',
	action: 'Get a note',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [instanceLocatorField, noteIdField];

export const execute = getRecord(noteRecord);

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError } from '../../../../lib/params/input';
import { additionalFieldsField, instanceLocatorField } from '../../helpers/descriptions';
import { openHub } from '../hub';
import type { ItemContext } from '../types';
import { companyFields, readCompanyFields } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a company in the customer’s Keap (Keap REST)',
	action: 'Create a company',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Acme Inc.',
		description: 'The name of the company',
	},
	additionalFieldsField(companyFields.filter((field) => field.name !== 'companyName')),
];

/**
 * Keap does not keep company names unique (two companies may share one, and the one that was
 * there before is not the one this item made), so a name is no key to look a lost create up by:
 * its outcome is reported as unknown, never sent again.
 */
export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const companyName = this.getNodeParameter('companyName', item.index, '') as IDataObject[string];
	const values = {
		...(this.getNodeParameter('additionalFields', item.index, {}) as IDataObject),
		companyName,
	};
	const body = readCompanyFields(this, item.index, values, 'Fields');
	if (!body.company_name) throw inputError(this, item.index, 'Company Name is empty');
	const hub = await openHub(this, item);
	return await hub.sendOnce(
		{ method: 'POST', path: '/companies', body, expect: 'object' },
		{
			ifUnknown:
				'The company may or may not have been created: check the customer’s Keap (Get Many companies by name) before running this item again.',
		},
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { limitParameter } from '../../../../lib/params/input';
import { readText } from '../../helpers/collectionValues';
import { ceqlText } from '../../helpers/contacts';
import { filtersField, instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
import { allOf, readWhereFilter, whereFilterField } from '../../helpers/whereFilter';
import { openHub } from '../hub';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List companies, by name or a CEQL query',
	action: 'Get many companies',
};

export const credentials = { account: true, app: false };

export const elements = KEAP_REST_ONLY;

export const properties: INodeProperties[] = [
	instanceLocatorField,
	...returnAllFields,
	filtersField([
		{
			displayName: 'Company Name',
			name: 'companyName',
			type: 'string',
			default: '',
			description: 'Only companies with exactly this name',
		},
		whereFilterField("email_address LIKE '%@example.com'", 'website, email_address'),
	]),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const name = readText(this, item.index, filters, 'companyName', 'Filters → Company Name');
	const where = readWhereFilter(this, item.index, filters);
	const hub = await openHub(this, item);
	const conditions = [
		...(name === undefined ? [] : [`company_name = ${ceqlText(name)}`]),
		...(where === undefined ? [] : [`(${where})`]),
	];
	return await hub.list(
		'/companies',
		{ where: allOf(conditions) },
		limit,
		'companies',
		(record) => record.id,
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KEAP_REST_ONLY } from '../../../../lib/keap/elements';
import { inputError, limitParameter } from '../../../../lib/params/input';
import { WHERE_HINT, whereProblem } from '../../helpers/ceql';
import { ceqlText } from '../../helpers/contacts';
import { instanceLocatorField, returnAllFields } from '../../helpers/descriptions';
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
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Company Name',
				name: 'companyName',
				type: 'string',
				default: '',
				description: 'Only companies with exactly this name',
			},
			{
				displayName: 'Where (CEQL)',
				name: 'where',
				type: 'string',
				default: '',
				placeholder: "email_address LIKE '%@example.com'",
				description:
					'A raw CEQL condition in Keap REST’s field names (e.g. website, email_address), combined with the filter above by AND',
			},
		],
	},
];

function filterText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
	name: string,
	label: string,
): string | undefined {
	const value = filters[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
		throw inputError(ctx, itemIndex, `Filters → ${label} must be text`);
	return String(value).trim() || undefined;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const name = filterText(this, item.index, filters, 'companyName', 'Company Name');
	const where = filterText(this, item.index, filters, 'where', 'Where (CEQL)');
	const problem = where === undefined ? undefined : whereProblem(where);
	if (problem) throw inputError(this, item.index, `Filters → Where (CEQL) ${problem}`, WHERE_HINT);
	const hub = await openHub(this, item);
	const conditions = [
		...(name === undefined ? [] : [`company_name = ${ceqlText(name)}`]),
		...(where === undefined ? [] : [`(${where})`]),
	];
	return await hub.list(
		'/companies',
		{ where: conditions.length > 0 ? conditions.join(' AND ') : undefined },
		limit,
		'companies',
		(record) => record.id,
	);
}

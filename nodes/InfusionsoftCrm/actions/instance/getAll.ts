import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ELEMENT_KEY } from '../../shared/app';
import { booleanParameter, inputError, parseTags, readBoolean, textParameter } from '../../shared/input';
import { elementKeyOf, listInstances } from '../../transport/instances';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List instances, by tags and search text',
	action: 'Get many instances',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'customer-42, production',
				description: 'Only instances with these tags (comma-separated)',
			},
			{
				displayName: 'Search Text',
				name: 'searchText',
				type: 'string',
				default: '',
				description: 'Only instances whose name contains this text',
			},
			{
				displayName: 'Infusionsoft Only',
				name: 'infusionsoftOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out instances of other elements on the account',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const returnAll = booleanParameter(this, 'returnAll', 'Return All', item.index, false);
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', item.index, 50) as unknown);
	if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
		throw inputError(this, item.index, 'Limit must be a whole number of 1 or more');
	}
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const tags = parseTags(filters.tags);
	if (tags === undefined) {
		throw inputError(this, item.index, 'Filters → Tags must be a comma-separated text or a list of texts');
	}
	const searchText =
		filters.searchText === undefined ? '' : textParameter(this, 'filters.searchText', 'Filters → Search Text', item.index);
	const infusionsoftOnly = filters.infusionsoftOnly === undefined ? true : readBoolean(filters.infusionsoftOnly);
	if (infusionsoftOnly === undefined) {
		throw inputError(this, item.index, 'Filters → Infusionsoft Only must be true or false');
	}
	const instances = await listInstances(
		item.platform,
		{ tags, searchText: searchText || undefined },
		infusionsoftOnly ? undefined : limit,
	);
	const matching = infusionsoftOnly ? instances.filter((instance) => elementKeyOf(instance) === ELEMENT_KEY) : instances;
	return limit === undefined ? matching : matching.slice(0, limit);
}

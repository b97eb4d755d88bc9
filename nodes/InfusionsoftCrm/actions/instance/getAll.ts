import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError, parseTags, textParameter } from '../../shared/input';
import { ELEMENT_KEY, listInstances } from '../../transport/instances';
import type { OperationContext } from '../types';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions(
	{ show: { resource: ['instance'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	ctx: OperationContext,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
		throw inputError(this, itemIndex, 'Limit must be a whole number of 1 or more');
	}
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const tags = parseTags(filters.tags);
	if (tags === undefined) {
		throw inputError(this, itemIndex, 'Filters → Tags must be a comma-separated text or a list of texts');
	}
	const searchText =
		filters.searchText === undefined ? '' : textParameter(this, 'filters.searchText', 'Filters → Search Text', itemIndex);
	const infusionsoftOnly = filters.infusionsoftOnly !== false;

	const instances = await listInstances(
		ctx.transport,
		{ tags, searchText: searchText || undefined },
		infusionsoftOnly ? undefined : limit,
		itemIndex,
		ctx.redactor,
	);
	const matching = infusionsoftOnly
		? instances.filter((instance) => (instance.element as IDataObject | undefined)?.key === ELEMENT_KEY)
		: instances;
	return limit === undefined ? matching : matching.slice(0, limit);
}

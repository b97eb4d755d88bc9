import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	ELEMENT_KEYS,
	elementKeyOf,
	ELEMENTS,
	isElementKey,
	LEGACY_ELEMENT,
} from '../../../../lib/keap/elements';
import {
	inputError,
	limitParameter,
	parseTags,
	readBoolean,
	textParameter,
} from '../../../../lib/params/input';
import { listInstances } from '../../../../lib/platform/instances';
import { returnAllFields } from '../../helpers/descriptions';
import type { ItemContext } from '../types';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List instances, by element, tags and search text',
	action: 'Get many instances',
};

export const credentials = { account: true, app: false };

export const properties: INodeProperties[] = [
	...returnAllFields,
	filtersField(1, {
		displayName: 'Infusionsoft Only',
		name: 'infusionsoftOnly',
		type: 'boolean',
		default: true,
		description:
			'Whether to leave out instances of other elements than Infusionsoft CRM (infusionsoftcrm) on the account',
	}),
	filtersField(2, {
		displayName: 'Elements',
		name: 'elements',
		type: 'options',
		default: 'keap',
		options: [
			{
				name: 'Keap Elements Only (Both)',
				value: 'keap',
				description: 'Infusionsoft CRM (legacy) and Keap REST instances',
			},
			...ELEMENT_KEYS.map((key) => ({ name: `${ELEMENTS[key].name} Only`, value: key })),
			{
				name: 'All Elements',
				value: 'all',
				description: 'Every instance on the account, whatever its element',
			},
		],
		description: 'Which instances to return by element',
	}),
];

/** Filters per node version: version 1 keeps its Infusionsoft Only switch (the legacy element). */
function filtersField(version: number, elementFilter: INodeProperties): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { '@version': [version] } },
		options: [
			elementFilter,
			{
				displayName: 'Search Text',
				name: 'searchText',
				type: 'string',
				default: '',
				description: 'Only instances whose name contains this text',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'customer-42, production',
				description: 'Only instances with these tags (comma-separated)',
			},
		],
	};
}

/** The element keys an instance must have, or undefined for all. */
function elementFilter(
	this: IExecuteFunctions,
	item: ItemContext,
	filters: IDataObject,
): string[] | undefined {
	if (this.getNode().typeVersion < 2) {
		const only =
			filters.infusionsoftOnly === undefined ? true : readBoolean(filters.infusionsoftOnly);
		if (only === undefined)
			throw inputError(this, item.index, 'Filters → Infusionsoft Only must be true or false');
		return only ? [LEGACY_ELEMENT] : undefined;
	}
	const chosen = filters.elements ?? 'keap';
	if (chosen === 'all') return undefined;
	if (chosen === 'keap') return ELEMENT_KEYS;
	if (isElementKey(chosen)) return [chosen];
	throw inputError(
		this,
		item.index,
		'Filters → Elements has an unknown value',
		`Use one of: keap, ${ELEMENT_KEYS.join(', ')}, all.`,
	);
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const limit = limitParameter(this, item.index);
	const filters = this.getNodeParameter('filters', item.index, {}) as IDataObject;
	const tags = parseTags(filters.tags);
	if (tags === undefined) {
		throw inputError(
			this,
			item.index,
			'Filters → Tags must be a comma-separated text or a list of texts',
		);
	}
	const searchText =
		filters.searchText === undefined
			? ''
			: textParameter(this, 'filters.searchText', 'Filters → Search Text', item.index);
	const elements = elementFilter.call(this, item, filters);
	// The platform cannot filter by element: every page is read, then cut to the Limit.
	const instances = await listInstances(
		item.platform,
		{ tags, searchText: searchText || undefined },
		elements ? undefined : limit,
	);
	const matching = elements
		? instances.filter((instance) => elements.includes(elementKeyOf(instance) ?? ''))
		: instances;
	return limit === undefined ? matching : matching.slice(0, limit);
}

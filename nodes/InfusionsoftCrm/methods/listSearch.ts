import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ElementKey } from '../../../lib/keap/elements';
import { ELEMENT_KEYS, elementKeyOf, ELEMENTS, isElementKey } from '../../../lib/keap/elements';
import { openClient } from '../../../lib/platform/client';
import { RESOURCES } from '../actions/registry';

const PAGE_SIZE = 50;

/** The elements the operation chosen in the editor works on (both while none is chosen). */
function usableElements(ctx: ILoadOptionsFunctions): readonly ElementKey[] {
	const resource = ctx.getCurrentNodeParameter('resource');
	const operation = ctx.getCurrentNodeParameter('operation');
	const found = RESOURCES.find((r) => r.name === resource)?.operations[String(operation)];
	return found?.elements ?? ELEMENT_KEYS;
}

/**
 * The Instance field's list: the account's Keap instances, name and element shown, one page at a
 * time. Instances of an element the chosen operation does not work on (tasks on the legacy
 * element) are left out: the operation would refuse them.
 */
export async function searchInstances(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const elements = usableElements(this);
	const { platform } = await openClient(this);
	const response = await platform.request<IDataObject[]>({
		method: 'GET',
		path: '/instances',
		query: {
			searchText: filter?.trim() || undefined,
			pageSize: PAGE_SIZE,
			nextPage: paginationToken || undefined,
		},
		accept: [404],
		expect: 'list',
	});
	if (response.statusCode === 404) return { results: [] };
	const results = response.body.flatMap((instance) => {
		const key = elementKeyOf(instance);
		if (!isElementKey(key) || !elements.includes(key)) return [];
		const state =
			instance.disabled === true
				? ', disabled'
				: instance.valid === false
					? ', needs re-authentication'
					: '';
		return [
			{
				name: `${String(instance.name)} — ${ELEMENTS[key].name.replace(/ \(.*\)$/, '')} #${String(instance.id)}${state}`,
				value: String(instance.id),
			},
		];
	});
	const next = response.headers['elements-next-page-token'];
	return {
		results,
		paginationToken: next && response.body.length === PAGE_SIZE ? next : undefined,
	};
}

import type { IDataObject } from 'n8n-workflow';

import type { Redactor } from '../shared/redact';
import type { CloudElementsTransport, QueryValue } from './cloudElements';

export const ELEMENT_KEY = 'infusionsoftcrm';

export interface ListInstancesQuery {
	tags?: string[];
	searchText?: string;
	hydrate?: boolean;
}

const NEXT_PAGE_HEADER = 'elements-next-page-token';
const MAX_PAGE_SIZE = 200;

/**
 * Lists instances page by page. The platform answers 404 when nothing matches, and may hand
 * out a next-page token that leads to an empty (404) page: both simply end the list.
 */
export async function listInstances(
	transport: CloudElementsTransport,
	query: ListInstancesQuery,
	limit: number | undefined,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	const seenTokens = new Set<string>();
	let nextPage: string | undefined;
	do {
		const remaining = limit === undefined ? MAX_PAGE_SIZE : limit - found.length;
		const params: Record<string, QueryValue> = {
			'tags[]': query.tags?.length ? query.tags : undefined,
			searchText: query.searchText,
			hydrate: query.hydrate,
			pageSize: Math.min(MAX_PAGE_SIZE, remaining),
			nextPage,
		};
		const response = await transport.request<unknown>(
			{ method: 'GET', path: '/instances', query: params, accept: [404] },
			itemIndex,
			redactor,
		);
		if (response.statusCode === 404 || !Array.isArray(response.body)) break;
		found.push(...(response.body as IDataObject[]));
		nextPage = response.headers[NEXT_PAGE_HEADER] || undefined;
		if (nextPage !== undefined) {
			if (seenTokens.has(nextPage) || response.body.length === 0) break;
			seenTokens.add(nextPage);
		}
	} while (nextPage !== undefined && (limit === undefined || found.length < limit));
	return limit === undefined ? found : found.slice(0, limit);
}

/** Instances of this element whose name is exactly `name`, oldest first. */
export async function findInstancesByName(
	transport: CloudElementsTransport,
	name: string,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject[]> {
	const candidates = await listInstances(transport, { searchText: name }, undefined, itemIndex, redactor);
	return candidates
		.filter((instance) => instance.name === name && elementKeyOf(instance) === ELEMENT_KEY)
		.sort((a, b) => Number(a.id) - Number(b.id));
}

function elementKeyOf(instance: IDataObject): string | undefined {
	const element = instance.element as IDataObject | undefined;
	return typeof element?.key === 'string' ? element.key : undefined;
}

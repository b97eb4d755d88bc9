import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { Redactor } from '../shared/redact';
import type { CloudElementsTransport, PlatformRequest, QueryValue } from './cloudElements';
import { backoffMs, OutcomeUnknownError } from './cloudElements';

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

/** What a 404 on /instances/{id} means, in the words of the node's fields. */
export function instanceNotFoundHints(id: string): Partial<Record<number, string>> {
	return { 404: `No instance ${id} on this account: check the Instance ID.` };
}

export const CODE_HINTS = {
	400: 'The authorization code may have expired or been used already (codes are single-use and short-lived: send the user through the OAuth URL again), or the Callback URL of the Infusionsoft CRM OAuth2 API credential does not match the one registered with the Infusionsoft app exactly.',
};

/**
 * Sends a call that must not be sent twice; when its answer is lost, `tookEffect` looks at
 * the platform, and only when it finds nothing is the call sent again (bounded by Max Retries).
 */
async function sendOnce(
	transport: CloudElementsTransport,
	req: PlatformRequest,
	tookEffect: () => Promise<IDataObject | undefined>,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject> {
	for (let attempt = 0; ; attempt++) {
		// Only a lost answer is caught here; every other failure goes on to the caller as it is.
		const lost = await transport
			.request<IDataObject>({ ...req, unsafeToRepeat: true }, itemIndex, redactor)
			.then(
				(response) => ({ answer: response.body }),
				(error: unknown) => {
					if (error instanceof OutcomeUnknownError) return { unknown: error };
					throw error;
				},
			);
		if ('answer' in lost) return lost.answer;
		const effect = await tookEffect();
		if (effect) return effect;
		if (attempt >= transport.policy.maxRetries) throw lost.unknown.cause;
		await sleep(backoffMs(attempt));
	}
}

/**
 * POST /instances, at most one instance: after a lost answer, an instance with this name that
 * was not among `knownIds` is the one this call created.
 */
export async function createInstanceOnce(
	transport: CloudElementsTransport,
	body: IDataObject,
	knownIds: Set<string>,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject> {
	const name = String(body.name);
	return await sendOnce(
		transport,
		{ method: 'POST', path: '/instances', body, hints: CODE_HINTS },
		async () => {
			const found = await findInstancesByName(transport, name, itemIndex, redactor);
			return found.find((instance) => !knownIds.has(String(instance.id)));
		},
		itemIndex,
		redactor,
	);
}

/**
 * PUT /instances/{id} with a new code, spending the code at most once: after a lost answer,
 * a token other than `tokenBefore` means the re-authentication went through.
 */
export async function reauthenticateInstanceOnce(
	transport: CloudElementsTransport,
	id: string,
	body: IDataObject,
	tokenBefore: unknown,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject> {
	return await sendOnce(
		transport,
		{ method: 'PUT', path: `/instances/${id}`, query: { reAuthenticate: true }, body, hints: CODE_HINTS },
		async () => {
			const current = await getInstance(transport, id, itemIndex, redactor);
			return current.token !== undefined && current.token !== tokenBefore ? current : undefined;
		},
		itemIndex,
		redactor,
	);
}

export async function getInstance(
	transport: CloudElementsTransport,
	id: string,
	itemIndex: number,
	redactor: Redactor,
): Promise<IDataObject> {
	const response = await transport.request<IDataObject>(
		{ method: 'GET', path: `/instances/${id}`, hints: instanceNotFoundHints(id) },
		itemIndex,
		redactor,
	);
	return response.body;
}

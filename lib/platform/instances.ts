import type { IDataObject } from 'n8n-workflow';

import type { ElementKey } from '../keap/elements';
import { elementKeyOf, ELEMENTS, legacyAdvice } from '../keap/elements';
import type { Platform } from './cloudElements';
import type { PagedList } from './paging';
import { listPages } from './paging';
import type { PlatformRequest } from './request';

export interface ListInstancesQuery {
	tags?: string[];
	searchText?: string;
}

/** The instances listing, narrowed by `query`. */
export function instancesList(query: ListInstancesQuery = {}): PagedList {
	return {
		path: '/instances',
		query: { 'tags[]': query.tags?.length ? query.tags : undefined, searchText: query.searchText },
		what: 'instances',
		narrow: 'Tags or Search Text',
	};
}

/**
 * Lists instances page by page (see `listPages`); the platform answers 404 when nothing matches.
 */
export async function listInstances(
	platform: Platform,
	query: ListInstancesQuery,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return await listPages(platform, instancesList(query), limit);
}

/** Instances of `element` whose name is exactly `name`, oldest first. */
export async function findInstancesByName(
	platform: Platform,
	name: string,
	element: ElementKey,
): Promise<IDataObject[]> {
	const candidates = await listInstances(platform, { searchText: name }, undefined);
	return candidates
		.filter((instance) => instance.name === name && elementKeyOf(instance) === element)
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * What a 404 on /instances/{id} says: most often the instance was deleted since it was saved
 * in the workflow. Spread into the request.
 */
export function instanceNotFound(id: string): Pick<PlatformRequest, 'messages' | 'hints'> {
	return {
		messages: { 404: `Instance ${id} was not found on this account: was it deleted?` },
		hints: {
			404: `No instance ${id} on this account. Instance → Get Many lists the instances it has; a deleted one is made again with OAuth → Get OAuth URL, then Instance → Create. If every instance seems missing, check the API Root of the Cloud Elements credential.`,
		},
	};
}

/** The legacy element's errors that point at the retired key or XML-RPC say to switch element. */
export function explainFor(
	element: ElementKey,
): ((text: string) => string | undefined) | undefined {
	return ELEMENTS[element].legacy ? legacyAdvice : undefined;
}

export const CODE_HINTS = {
	400: 'The authorization code may have expired or been used already (codes are single-use and short-lived: send the user through the OAuth URL again), or the Callback URL of the Infusionsoft CRM OAuth2 API credential does not match the one registered with the Infusionsoft app exactly.',
};

/**
 * POST /instances, at most one instance: after a lost answer, an instance with this name that
 * was not among `knownIds` is the one this call created.
 */
export async function createInstanceOnce(
	platform: Platform,
	element: ElementKey,
	body: IDataObject,
	knownIds: Set<string>,
): Promise<IDataObject> {
	const name = String(body.name);
	const req: PlatformRequest = {
		method: 'POST',
		path: '/instances',
		body,
		expect: 'provisioned',
		hints: CODE_HINTS,
		explain: explainFor(element),
	};
	return await platform.sendOnce(req, {
		lookUp: async () => {
			const found = await findInstancesByName(platform, name, element);
			return found.find((instance) => !knownIds.has(String(instance.id)));
		},
	});
}

/**
 * PUT /instances/{id} with a new code, spending the code at most once: after a lost answer,
 * a token other than `tokenBefore` means the re-authentication went through.
 */
export async function reauthenticateInstanceOnce(
	platform: Platform,
	element: ElementKey,
	id: string,
	body: IDataObject,
	tokenBefore: unknown,
): Promise<IDataObject> {
	const req: PlatformRequest = {
		method: 'PUT',
		path: `/instances/${id}`,
		query: { reAuthenticate: true },
		body,
		expect: 'provisioned',
		hints: CODE_HINTS,
		explain: explainFor(element),
	};
	return await platform.sendOnce(req, {
		lookUp: async () => {
			const current = await getInstance(platform, id);
			return current.token !== undefined && current.token !== tokenBefore ? current : undefined;
		},
	});
}

export async function getInstance(platform: Platform, id: string): Promise<IDataObject> {
	const response = await platform.request<IDataObject>({
		method: 'GET',
		path: `/instances/${id}`,
		expect: 'instance',
		...instanceNotFound(id),
	});
	return response.body;
}

/** GET /instances/{id}; undefined when the platform answers 404 (the instance does not exist). */
export async function findInstance(
	platform: Platform,
	id: string,
): Promise<IDataObject | undefined> {
	const response = await platform.request<IDataObject>({
		method: 'GET',
		path: `/instances/${id}`,
		accept: [404],
		expect: 'instance',
		...instanceNotFound(id),
	});
	return response.statusCode === 404 ? undefined : response.body;
}

/** DELETE /instances/{id}; true when it existed. */
export async function deleteInstance(
	platform: Platform,
	id: string,
	ignoreMissing: boolean,
): Promise<boolean> {
	const response = await platform.request({
		method: 'DELETE',
		path: `/instances/${id}`,
		accept: ignoreMissing ? [404] : [],
		...instanceNotFound(id),
	});
	return response.statusCode !== 404;
}

export async function patchInstance(
	platform: Platform,
	id: string,
	body: IDataObject,
): Promise<IDataObject> {
	const response = await platform.request<IDataObject>({
		method: 'PATCH',
		path: `/instances/${id}`,
		body,
		expect: 'instance',
		...instanceNotFound(id),
	});
	return response.body;
}

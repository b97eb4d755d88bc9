/**
 * What a valid request to the platform looks like, call by call: a property test sends random
 * input through the node and holds every request the stand-in received to these rules.
 */
import type { RecordedRequest } from '../../sandbox';

const ROOT = '/elements/api-v2';
const ID = '[1-9][0-9]{0,18}';

/** Exactly what each element's configuration holds (the seeds' five; Keap REST's three). */
const CONFIGURATION_KEYS: Record<string, string[]> = {
	infusionsoftcrm: [
		'infusionsoft.private.key',
		'infusionsoft.server',
		'oauth.api.key',
		'oauth.api.secret',
		'oauth.callback.url',
	],
	infusionsoftrest: ['oauth.api.key', 'oauth.api.secret', 'oauth.callback.url'],
};
const isElementKey = (v: unknown): v is string => typeof v === 'string' && v in CONFIGURATION_KEYS;
const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const isFilledText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isTagList = (v: unknown) =>
	Array.isArray(v) && v.every((tag) => isFilledText(tag) && tag === tag.trim());
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? undefined : v);

/** Why the request is invalid, or undefined when it is fine. */
export function requestProblem(r: RecordedRequest): string | undefined {
	const path = r.path.startsWith(ROOT) ? r.path.slice(ROOT.length) : undefined;
	if (path === undefined) return `a request outside the API root: ${r.method} ${r.path}`;
	const body = r.body;
	const noBody = () => (body === undefined ? undefined : `${r.method} ${path} has a body`);

	if (
		/^\/elements\/(infusionsoftcrm|infusionsoftrest)\/oauth\/url$/.test(path) &&
		r.method === 'POST'
	) {
		// The client secret travels in the body, never in the URL.
		if (Object.keys(r.query).length > 0) return 'OAuth URL request with a query';
		if (!isObject(body)) return 'OAuth URL request without a JSON object';
		for (const key of ['apiKey', 'apiSecret', 'callbackUrl']) {
			if (!isFilledText(body[key])) return `OAuth URL request without ${key}`;
		}
		for (const key of ['state', 'siteAddress', 'scope']) {
			if (body[key] !== undefined && !isFilledText(body[key]))
				return `OAuth URL request with an empty ${key}`;
		}
		const known = new Set(['apiKey', 'apiSecret', 'callbackUrl', 'state', 'siteAddress', 'scope']);
		const unknown = Object.keys(body).find((key) => !known.has(key));
		return unknown ? `OAuth URL request with an unknown field ${unknown}` : undefined;
	}
	if (path === '/instances' && r.method === 'GET') {
		const pageSize = Number(one(r.query.pageSize));
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200)
			return `GET /instances with pageSize ${String(r.query.pageSize)}`;
		const searchText = r.query.searchText;
		if (searchText !== undefined && !isFilledText(one(searchText)))
			return 'GET /instances with an empty or repeated searchText';
		const tags = r.query['tags[]'];
		if (tags !== undefined && !(Array.isArray(tags) ? tags : [tags]).every(isFilledText))
			return 'GET /instances with an empty tag';
		return noBody();
	}
	if (path === '/instances' && r.method === 'POST') {
		if (!isObject(body)) return 'POST /instances without a JSON object';
		if (!isObject(body.element) || !isElementKey(body.element.key))
			return 'POST /instances without a Keap element.key';
		const keys =
			body.configuration && isObject(body.configuration)
				? Object.keys(body.configuration).sort()
				: [];
		if (keys.join() !== CONFIGURATION_KEYS[body.element.key].join())
			return `POST /instances (${body.element.key}) with configuration keys ${keys.join(', ')}`;
		if (!isFilledText(body.name) || body.name !== body.name.trim())
			return `POST /instances with name ${JSON.stringify(body.name)}`;
		if (!isTagList(body.tags)) return `POST /instances with tags ${JSON.stringify(body.tags)}`;
		if (!isObject(body.providerData) || !isFilledText(body.providerData.code))
			return 'POST /instances without a code';
		if (
			!isObject(body.configuration) ||
			!Object.values(body.configuration).every((v) => typeof v === 'string')
		) {
			return 'POST /instances with a configuration value that is not text';
		}
		return undefined;
	}
	if (new RegExp(`^/instances/${ID}$`).test(path)) {
		if (r.method === 'GET' || r.method === 'DELETE') return noBody();
		if (r.method === 'PATCH') {
			if (!isObject(body)) return 'PATCH without a JSON object';
			if (body.name === undefined && body.tags === undefined) return 'PATCH with nothing in it';
			if (body.name !== undefined && !isFilledText(body.name))
				return `PATCH with name ${JSON.stringify(body.name)}`;
			if (body.tags !== undefined && !isTagList(body.tags))
				return `PATCH with tags ${JSON.stringify(body.tags)}`;
			return undefined;
		}
		if (r.method === 'PUT') {
			if (!isObject(body)) return 'PUT without a JSON object';
			if (one(r.query.reAuthenticate) !== 'true') return 'PUT without reAuthenticate=true';
			if (!isObject(body.providerData) || !isFilledText(body.providerData.code))
				return 'PUT without a code';
			if (!isObject(body.element) || !isElementKey(body.element.key))
				return 'PUT without a Keap element.key';
			const keys = isObject(body.configuration) ? Object.keys(body.configuration).sort() : [];
			if (keys.join() !== CONFIGURATION_KEYS[body.element.key].join())
				return `PUT (${body.element.key}) with configuration keys ${keys.join(', ')}`;
			if (!isFilledText(body.name)) return `PUT with name ${JSON.stringify(body.name)}`;
			if (!isTagList(body.tags)) return `PUT with tags ${JSON.stringify(body.tags)}`;
			return undefined;
		}
	}
	if (
		new RegExp(`^/instances/${ID}/enabled$`).test(path) &&
		(r.method === 'PUT' || r.method === 'DELETE')
	)
		return noBody();
	return `an unexpected call: ${r.method} ${path}`;
}

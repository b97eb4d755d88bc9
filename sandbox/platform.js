// @ts-check
'use strict';

/**
 * The platform API under /elements/api-v2, as far as the two Keap elements go (infusionsoftcrm
 * and infusionsoftrest, see elements.js): authentication, the elements, the OAuth URL and the
 * instance life cycle. Behaviour follows the team's shared notes (../shared/cloud-elements-api.md,
 * relative to the repository root) and the seeds, quirks included.
 */

const crypto = require('node:crypto');
const consent = require('./consent');
const { answerHub } = require('./hub');
const {
	findElement,
	elementOf,
	EVENT_CONFIGURATION,
	EVENT_CONFIGURATION_KEYS,
} = require('./elements');
const { syncEvents } = require('./events');
const {
	HttpError,
	jsonReply,
	errorReply,
	route,
	dispatch,
	requireJsonObject,
	firstValues,
	firstValue,
	listValues,
	isObject,
	isFilled,
} = require('./routing');

/** @typedef {import('./index').SandboxInstance} SandboxInstance */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {import('./state').State} State */
/** @typedef {import('./state').Account} Account */
/** @typedef {import('./routing').Ctx} Ctx */
/** @typedef {import('./elements').ElementSpec} ElementSpec */
/** @typedef {Ctx & { account: Account }} ApiCtx  a platform call after authentication */
/**
 * @template C
 * @typedef {import('./routing').Handler<C>} Handler
 */
/**
 * @template C
 * @typedef {import('./routing').Route<C>} Route
 */

const MASK = '********';
const NEXT_PAGE_HEADER = 'elements-next-page-token';

/** @type {Route<ApiCtx>[]} */
const PLATFORM_ROUTES = [
	route('/elements/:element', { GET: getElement }),
	route('/elements/:element/metadata', { GET: getMetadata }),
	route('/elements/:element/oauth/url', { GET: getOAuthUrl, POST: postOAuthUrl }),
	route('/instances', { GET: listInstances, POST: createInstance }),
	route('/instances/:id', {
		GET: getInstance,
		PUT: replaceInstance,
		PATCH: patchInstance,
		DELETE: deleteInstance,
	}),
	route('/instances/:id/enabled', { PUT: enableInstance, DELETE: disableInstance }),
	route('/instances/:id/configuration', { GET: getConfiguration }),
	route('/instances/:id/configuration/:configId', {
		GET: getConfigurationEntry,
		PATCH: patchConfigurationEntry,
	}),
];

/**
 * Authenticates, then routes. `apiPath` is the path after the API root, e.g. '/instances/12345'.
 * @param {Ctx} ctx @param {string} apiPath @returns {Reply}
 */
function answerPlatform(ctx, apiPath) {
	/** @type {Account} */
	let account;
	try {
		account = authenticate(ctx);
	} catch (error) {
		if (error instanceof HttpError) return errorReply(error.status, error.message, error.extra);
		throw error;
	}
	if (apiPath === '/hubs' || apiPath.startsWith('/hubs/'))
		return answerHubCall({ ...ctx, account }, apiPath);
	return dispatch(PLATFORM_ROUTES, { ...ctx, account }, apiPath);
}

/**
 * A hub call (/hubs/...): it needs the `Element <token>` of a live, enabled instance of the
 * account. The token itself was checked by authenticate() (unknown or deleted: 401).
 * @param {ApiCtx} ctx @param {string} apiPath @returns {Reply}
 */
function answerHubCall(ctx, apiPath) {
	/** @type {SandboxInstance} */
	let instance;
	try {
		instance = hubInstance(ctx);
	} catch (error) {
		if (error instanceof HttpError) return errorReply(error.status, error.message, error.extra);
		throw error;
	}
	return answerHub({ ...ctx, instance }, apiPath);
}

/**
 * The instance of the `Element` token: 401 without one, 403 when the instance is disabled, 401
 * with the provider's invalid_token when its connection is dead (valid: false).
 * @param {ApiCtx} ctx @returns {SandboxInstance}
 */
function hubInstance(ctx) {
	const token = parseAuthorization(ctx.headers.authorization)?.element;
	if (token === undefined) throw new HttpError(401, 'An Element token is required for hub calls');
	const instance = findByToken(ctx.state, ctx.account, token);
	if (!instance)
		throw new HttpError(
			401,
			'Invalid Organization or User secret, or invalid Element token provided.',
		);
	if (instance.disabled) throw new HttpError(403, 'The instance is disabled');
	if (!instance.valid) {
		throw new HttpError(401, 'The provider rejected the instance credentials', {
			providerMessage: JSON.stringify({
				error: 'invalid_token',
				error_description: 'Invalid access token',
			}),
		});
	}
	return instance;
}

// Authentication

/**
 * `User <secret>, Organization <secret>[, Element <token>]`, tolerant of spaces.
 * @param {string | undefined} header
 * @returns {{ user: string, organization: string, element?: string } | null}
 */
function parseAuthorization(header) {
	if (!header) return null;
	/** @type {Record<string, string>} */
	const parts = {};
	for (const piece of header.split(',')) {
		const match = /^\s*(User|Organization|Element)\s+(\S+)\s*$/i.exec(piece);
		if (!match) return null;
		const name = match[1].toLowerCase();
		if (name in parts) return null;
		parts[name] = match[2];
	}
	if (!parts.user || !parts.organization) return null;
	return { user: parts.user, organization: parts.organization, element: parts.element };
}

/** @param {Ctx} ctx @returns {Account} */
function authenticate(ctx) {
	const auth = parseAuthorization(ctx.headers.authorization);
	if (!auth) {
		throw new HttpError(
			401,
			'Missing or malformed Authorization header: expected "User <user secret>, Organization <organization secret>"',
		);
	}
	const account = ctx.state.accounts.find(
		(a) => a.userSecret === auth.user && a.organizationSecret === auth.organization,
	);
	const tokenOk =
		auth.element === undefined ||
		(account !== undefined && findByToken(ctx.state, account, auth.element) !== undefined);
	if (!account || !tokenOk)
		throw new HttpError(
			401,
			'Invalid Organization or User secret, or invalid Element token provided.',
		);
	return account;
}

/**
 * The account's instance with this token. state.tokens is a cache (10,000 instances must not
 * make every hub call scan them all); a hit is checked against sb.instances, which tests may
 * change directly, and a miss falls back to a scan.
 * @param {State} state @param {Account} account @param {string} token
 */
function findByToken(state, account, token) {
	const cached = state.tokens.get(token);
	if (cached && cached.token === token && state.instances.get(cached.id) === cached) {
		return cached.user.id === account.userId ? cached : undefined;
	}
	for (const instance of state.instances.values()) {
		if (instance.token === token) {
			state.tokens.set(token, instance);
			if (instance.user.id === account.userId) return instance;
		}
	}
	return undefined;
}

// The element and the OAuth URL

/** @param {string} keyOrId @returns {ElementSpec} */
function requireElement(keyOrId) {
	const spec = findElement(keyOrId);
	if (!spec) throw new HttpError(404, `No element found with key or id '${keyOrId}'`);
	return spec;
}

/** @type {Handler<ApiCtx>} */
function getElement(_ctx, { element }) {
	const spec = requireElement(element);
	return jsonReply(200, {
		...structuredClone(spec.element),
		configuration: spec.configuration.map(describeParameter),
	});
}

/** The stand-in's small metadata object (see elements.js). @type {Handler<ApiCtx>} */
function getMetadata(_ctx, { element }) {
	return jsonReply(200, structuredClone(requireElement(element).metadata));
}

/** @param {{ key: string, name: string, type: string, mayBeEmpty: boolean }} parameter */
function describeParameter({ key, name, type, mayBeEmpty }) {
	return { key, name, type, required: !mayBeEmpty };
}

/** @type {Handler<ApiCtx>} */
function getOAuthUrl(ctx, { element }) {
	return oauthUrlReply(ctx, element, firstValues(ctx.query));
}

/** @type {Handler<ApiCtx>} */
function postOAuthUrl(ctx, { element }) {
	requireElement(element);
	return oauthUrlReply(ctx, element, requireJsonObject(ctx));
}

/**
 * The platform only builds the URL: it checks nothing about the app and remembers nothing. Both
 * elements take the same fields (apiKey, apiSecret, callbackUrl; optional state and scope, passed
 * through as given; siteAddress is accepted and unused) and point at the same consent page.
 * @param {Ctx} ctx @param {string} keyOrId @param {Record<string, unknown>} fields
 */
function oauthUrlReply(ctx, keyOrId, fields) {
	const { element } = requireElement(keyOrId);
	for (const name of ['apiKey', 'apiSecret', 'callbackUrl']) {
		if (!isFilled(fields[name])) throw new HttpError(400, `${name} is required`);
	}
	const optional = (/** @type {string} */ name) =>
		typeof fields[name] === 'string' ? /** @type {string} */ (fields[name]) : undefined;
	const oauthUrl = consent.authorizeUrl(ctx.state.url, {
		clientId: String(fields.apiKey),
		callbackUrl: String(fields.callbackUrl),
		state: optional('state'),
		scope: optional('scope'),
	});
	return jsonReply(200, { oauthUrl, element: element.key });
}

// Instances

/** @type {Handler<ApiCtx>} */
function createInstance(ctx) {
	const body = requireJsonObject(ctx);
	const elementRef = isObject(body.element) ? body.element : {};
	const keyOrId = elementRef.key ?? elementRef.id;
	if (keyOrId === undefined || keyOrId === '') throw new HttpError(400, 'element.key is required');
	const spec = requireElement(String(keyOrId));
	const { element } = spec;
	const name = requireName(body.name);
	const tags = readTags(body.tags);
	const configuration = readConfiguration(body.configuration);
	checkConfiguration(spec, configuration);
	const code = readCode(body.providerData);
	if (!code) throw new HttpError(400, 'providerData.code is required');
	exchangeCode(ctx.state, code, configuration, 'Failed to create instance');

	/** @type {SandboxInstance} */
	const instance = {
		id: ctx.state.nextId++,
		name,
		createdDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
		token: newToken(),
		element: structuredClone(element),
		elementId: element.id,
		tags,
		provisionInteractions: [],
		valid: true,
		disabled: false,
		maxCacheSize: 0,
		cacheTimeToLive: 0,
		configuration,
		eventsEnabled: false,
		traceLoggingEnabled: false,
		cachingEnabled: false,
		externalAuthentication: 'none',
		user: { id: ctx.account.userId },
	};
	ctx.state.instances.set(instance.id, instance);
	ctx.state.tokens.set(instance.token, instance);
	syncEvents(ctx.state, instance.id);
	return jsonReply(200, present(instance));
}

/** @type {Handler<ApiCtx>} */
function listInstances(ctx) {
	const { query } = ctx;
	const tags = [...listValues(query['tags[]']), ...listValues(query.tags)];
	const searchText = firstValue(query.searchText)?.toLowerCase();
	const pageSize = readPageSize(firstValue(query.pageSize), ctx.state.pageSizeDefault);
	const afterId = readPageToken(firstValue(query.nextPage));
	// `hydrate` is accepted; instances always come back whole.

	// no copies, and a name search reads only the instances whose name may match (instances.js)
	/** @type {SandboxInstance[]} */
	const matches = [];
	const { instances } = ctx.state;
	for (const i of searchText === undefined
		? instances.values()
		: instances.candidates(searchText)) {
		if (i.user.id !== ctx.account.userId || i.id <= afterId) continue;
		if (tags.length > 0 && !i.tags.some((tag) => tags.includes(tag))) continue;
		if (searchText !== undefined && !i.name.toLowerCase().includes(searchText)) continue;
		matches.push(i);
	}
	const page = matches.sort((a, b) => a.id - b.id).slice(0, pageSize);
	if (page.length === 0) throw new HttpError(404, 'No instances found');
	// Faithful quirk: a full page always gets a token, even when nothing follows.
	/** @type {Record<string, string>} */
	const headers =
		page.length === pageSize ? { [NEXT_PAGE_HEADER]: pageToken(page[page.length - 1].id) } : {};
	return jsonReply(200, page.map(present), headers);
}

/** @type {Handler<ApiCtx>} */
function getInstance(ctx, { id }) {
	return jsonReply(200, present(ownInstance(ctx, id)));
}

/**
 * PUT: name and tags replace; configuration replaces the stored one, except that element keys
 * the body leaves out (and '********' values) keep their stored value. With providerData.code
 * it re-authenticates: same id, new token, valid again.
 * @type {Handler<ApiCtx>}
 */
function replaceInstance(ctx, { id }) {
	const instance = ownInstance(ctx, id);
	const spec = elementOf(instance);
	const body = requireJsonObject(ctx);
	requireSameElement(instance, body.element);
	const code = reauthenticationCode(firstValue(ctx.query.reAuthenticate), body.providerData);
	const name = body.name === undefined ? instance.name : requireName(body.name);
	const tags = body.tags === undefined ? instance.tags : readTags(body.tags);
	let configuration = instance.configuration;
	if (body.configuration !== undefined) {
		const kept = Object.fromEntries(
			(spec?.configuration ?? [])
				.filter(({ key }) => key in instance.configuration)
				.map(({ key }) => [key, instance.configuration[key]]),
		);
		configuration = unmask(
			{ ...kept, ...readConfiguration(body.configuration) },
			instance.configuration,
		);
	}
	checkConfiguration(spec, configuration);
	if (code) exchangeCode(ctx.state, code, configuration, 'Failed to re-authenticate instance');

	Object.assign(instance, { name, tags, configuration });
	ctx.state.instances.set(instance.id, instance); // the name index
	if (code) {
		Object.assign(instance, { token: newToken(), valid: true });
		ctx.state.tokens.set(instance.token, instance);
	}
	syncEvents(ctx.state, instance.id);
	return jsonReply(200, present(instance));
}

/** PATCH: name and tags replace (tags are not merged); configuration keys merge. @type {Handler<ApiCtx>} */
function patchInstance(ctx, { id }) {
	const instance = ownInstance(ctx, id);
	const body = requireJsonObject(ctx);
	requireSameElement(instance, body.element);
	const name = body.name === undefined ? instance.name : requireName(body.name);
	const tags = body.tags === undefined ? instance.tags : readTags(body.tags);
	const configuration =
		body.configuration === undefined
			? instance.configuration
			: unmask(
					{ ...instance.configuration, ...readConfiguration(body.configuration) },
					instance.configuration,
				);
	checkConfiguration(elementOf(instance), configuration);
	Object.assign(instance, { name, tags, configuration });
	ctx.state.instances.set(instance.id, instance); // the name index
	syncEvents(ctx.state, instance.id);
	return jsonReply(200, present(instance));
}

/** @type {Handler<ApiCtx>} */
function deleteInstance(ctx, { id }) {
	const instance = ownInstance(ctx, id);
	ctx.state.instances.delete(instance.id);
	ctx.state.records.delete(instance.id); // its hub records go with it
	ctx.state.tokens.delete(instance.token);
	ctx.state.configIds.delete(instance.id);
	syncEvents(ctx.state, instance.id); // its subscription and queued notifications too
	return jsonReply(200, {});
}

/** @type {Handler<ApiCtx>} */
function enableInstance(ctx, { id }) {
	const instance = ownInstance(ctx, id);
	instance.disabled = false;
	return jsonReply(200, present(instance));
}

/** @type {Handler<ApiCtx>} */
function disableInstance(ctx, { id }) {
	const instance = ownInstance(ctx, id);
	instance.disabled = true;
	return jsonReply(200, present(instance));
}

/** @type {Handler<ApiCtx>} */
function getConfiguration(ctx, { id }) {
	return jsonReply(200, configurationEntries(ctx.state, ownInstance(ctx, id)));
}

/** @type {Handler<ApiCtx>} */
function getConfigurationEntry(ctx, { id, configId }) {
	const instance = ownInstance(ctx, id);
	return jsonReply(200, configurationEntry(ctx.state, instance, configId));
}

/**
 * PATCH /instances/{id}/configuration/{configId} `{ propertyValue }`: one entry's new value
 * (checked like a PATCH of the instance; '********' keeps the stored one); events follow at once.
 * @type {Handler<ApiCtx>}
 */
function patchConfigurationEntry(ctx, { id, configId }) {
	const instance = ownInstance(ctx, id);
	const { key } = configurationEntry(ctx.state, instance, configId);
	const body = requireJsonObject(ctx);
	if (!('propertyValue' in body)) throw new HttpError(400, 'propertyValue is required');
	const configuration = unmask(
		{ ...instance.configuration, ...readConfiguration({ [key]: body.propertyValue }) },
		instance.configuration,
	);
	checkConfiguration(elementOf(instance), configuration);
	instance.configuration = configuration;
	syncEvents(ctx.state, instance.id);
	return jsonReply(200, configurationEntry(ctx.state, instance, configId));
}

/**
 * The configuration entries as GET /instances/{id}/configuration lists them: one per stored
 * key, with an id (fixed per instance and key) for PATCH /configuration/{configId}; secrets masked.
 * @param {State} state @param {SandboxInstance} instance
 */
function configurationEntries(state, instance) {
	const spec = elementOf(instance);
	let ids = state.configIds.get(instance.id);
	if (!ids) {
		ids = new Map();
		state.configIds.set(instance.id, ids);
	}
	const entryIds = ids;
	return Object.entries(instance.configuration).map(([key, value]) => {
		if (!entryIds.has(key)) entryIds.set(key, state.nextConfigId++);
		const known = [...(spec?.configuration ?? []), ...EVENT_CONFIGURATION].find(
			(entry) => entry.key === key,
		);
		return {
			id: /** @type {number} */ (entryIds.get(key)),
			key,
			name: known?.name ?? key,
			type: known?.type ?? 'TEXTFIELD_128',
			required: known ? !known.mayBeEmpty : false,
			propertyValue: isSecretKey(key, spec) ? MASK : value,
		};
	});
}

/** One entry, by its id (or, for convenience, its key); 404 when the instance has none such. @param {State} state @param {SandboxInstance} instance @param {string} configId */
function configurationEntry(state, instance, configId) {
	const entry = configurationEntries(state, instance).find(
		(e) => String(e.id) === configId || e.key === configId,
	);
	if (!entry)
		throw new HttpError(
			404,
			`No configuration found with id ${configId} for instance ${instance.id}`,
		);
	return entry;
}

/** @param {ApiCtx} ctx @param {string} id */
function ownInstance(ctx, id) {
	if (!/^\d+$/.test(id)) throw new HttpError(400, `Invalid instance id '${id}': expected a number`);
	const instance = ctx.state.instances.get(Number(id));
	if (!instance || instance.user.id !== ctx.account.userId)
		throw new HttpError(404, `No instance found with id ${id}`);
	return instance;
}

/**
 * The Infusionsoft token exchange the platform makes with the code. Codes are single-use
 * (consumed on success) and bound to the client id and the exact callback URL.
 * @param {State} state @param {string} code @param {Record<string, unknown>} configuration @param {string} message
 */
function exchangeCode(state, code, configuration, message) {
	/** @param {string} error @param {string} description */
	const providerError = (error, description) =>
		new HttpError(400, message, {
			providerMessage: JSON.stringify({ error, error_description: description }),
			providerCode: error === 'invalid_client' ? 401 : 400,
		});
	const app = state.apps.find((a) => a.clientId === configuration['oauth.api.key']);
	if (!app || app.clientSecret !== configuration['oauth.api.secret']) {
		throw providerError('invalid_client', 'Invalid client or client credentials');
	}
	const grant = state.codes.get(code);
	if (!grant || grant.clientId !== app.clientId)
		throw providerError('invalid_grant', 'Invalid authorization code');
	if (grant.expiresAt <= Date.now()) {
		state.codes.delete(code);
		throw providerError('invalid_grant', 'Authorization code expired');
	}
	if (grant.callbackUrl !== configuration['oauth.callback.url']) {
		throw providerError('invalid_grant', 'Redirect URI mismatch');
	}
	state.codes.delete(code);
}

/** The instance as the API shows it: secrets masked, even empty ones. @param {SandboxInstance} instance */
function present(instance) {
	const copy = structuredClone(instance);
	const spec = elementOf(instance);
	copy.configuration = Object.fromEntries(
		Object.entries(copy.configuration).map(([key, value]) => [
			key,
			isSecretKey(key, spec) ? MASK : value,
		]),
	);
	return copy;
}

/**
 * The element's PASSWORD keys (oauth.api.secret for both, infusionsoft.private.key for
 * infusionsoftcrm), the event signature key (on any element), and any key whose name says
 * secret, password or private.
 * @param {string} key @param {ElementSpec | undefined} spec
 */
function isSecretKey(key, spec) {
	return (
		/secret|password|private/i.test(key) ||
		[...(spec?.configuration ?? []), ...EVENT_CONFIGURATION].some(
			(entry) => entry.key === key && entry.type === 'PASSWORD',
		)
	);
}

/** '********' sent back means "keep the stored value". @param {Record<string, unknown>} next @param {Record<string, unknown>} stored */
function unmask(next, stored) {
	return Object.fromEntries(
		Object.entries(next).map(([key, value]) => [
			key,
			value === MASK && key in stored ? stored[key] : value,
		]),
	);
}

function newToken() {
	const chars = crypto.randomBytes(33).toString('base64').split('');
	chars[3] = '/'; // like the seed's "ABC/D...": tokens must survive being sent raw
	chars[7] = '+';
	return chars.join('');
}

/** @param {number} id */
function pageToken(id) {
	return Buffer.from(JSON.stringify({ after: id, v: 1 })).toString('base64');
}

/** @param {string | undefined} token */
function readPageToken(token) {
	if (token === undefined || token === '') return 0;
	try {
		const { after } = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
		if (Number.isInteger(after)) return after;
	} catch {
		// fall through
	}
	throw new HttpError(400, `Invalid nextPage token '${token}'`);
}

/** @param {string | undefined} value @param {number} fallback */
function readPageSize(value, fallback) {
	if (value === undefined || value === '') return fallback;
	if (!/^\d+$/.test(value) || Number(value) < 1)
		throw new HttpError(400, `Invalid pageSize '${value}': expected a positive integer`);
	return Number(value);
}

// Request body fields

/** @param {unknown} value */
function requireName(value) {
	if (!isFilled(value)) throw new HttpError(400, 'name is required');
	return /** @type {string} */ (value);
}

/** @param {unknown} value @returns {string[]} */
function readTags(value) {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
		throw new HttpError(400, 'tags must be an array of strings');
	}
	return [...value];
}

/** @param {unknown} value @returns {Record<string, unknown>} */
function readConfiguration(value) {
	if (!isObject(value)) throw new HttpError(400, 'configuration must be an object');
	for (const [key, entry] of Object.entries(value)) {
		if (!['string', 'number', 'boolean'].includes(typeof entry)) {
			throw new HttpError(400, `configuration value for '${key}' must be a string`);
		}
	}
	return { ...value };
}

/**
 * The configuration against its element. A strict element (infusionsoftrest) first refuses every
 * key that is neither its own nor a documented event key, naming them all; then, for every
 * element, the first missing (or empty, unless it may be) key is named. An instance planted with
 * an element the stand-in does not play (no spec) is not checked.
 * @param {ElementSpec | undefined} spec @param {Record<string, unknown>} configuration
 */
function checkConfiguration(spec, configuration) {
	if (!spec) return;
	if (spec.strict) {
		const known = new Set([
			...spec.configuration.map(({ key }) => key),
			...EVENT_CONFIGURATION_KEYS,
		]);
		const unknown = Object.keys(configuration).filter((key) => !known.has(key));
		if (unknown.length > 0) {
			const verb = unknown.length === 1 ? 'is not a configuration' : 'are not configurations';
			throw new HttpError(400, `${unknown.join(', ')} ${verb} of ${spec.element.key}`);
		}
	}
	for (const { key, mayBeEmpty } of spec.configuration) {
		const value = configuration[key];
		if (mayBeEmpty ? value === undefined : !isFilled(value)) {
			throw new HttpError(
				400,
				`Missing required configuration value: ${key}${mayBeEmpty ? ' (may be an empty string)' : ''}`,
			);
		}
	}
}

/**
 * PUT and PATCH cannot move an instance to another element: a body `element` must name the
 * instance's own (by key, or by id), else 400. A body without `element` is fine.
 * @param {SandboxInstance} instance @param {unknown} ref
 */
function requireSameElement(instance, ref) {
	if (ref === undefined || ref === null) return;
	if (!isObject(ref)) throw new HttpError(400, 'element must be an object');
	const { key, id } = ref;
	const sameKey = key === undefined || key === instance.element.key;
	const sameId = id === undefined || String(id) === String(instance.element.id);
	if (!sameKey || !sameId) {
		const asked = sameKey ? `id ${String(id)}` : String(key);
		throw new HttpError(
			400,
			`The element of an instance cannot be changed: instance ${instance.id} is ${instance.element.key}, not ${asked}`,
		);
	}
}

/** @param {unknown} providerData @returns {string | undefined} */
function readCode(providerData) {
	if (providerData === undefined || providerData === null) return undefined;
	if (!isObject(providerData)) throw new HttpError(400, 'providerData must be an object');
	if (providerData.code === undefined) return undefined;
	if (!isFilled(providerData.code))
		throw new HttpError(400, 'providerData.code must be a non-empty string');
	return /** @type {string} */ (providerData.code);
}

/** @param {string | undefined} flag  ?reAuthenticate @param {unknown} providerData */
function reauthenticationCode(flag, providerData) {
	if (flag !== undefined && flag !== 'true' && flag !== 'false')
		throw new HttpError(400, 'reAuthenticate must be true or false');
	const code = readCode(providerData);
	if (flag === 'false') return undefined;
	if (flag === 'true' && !code)
		throw new HttpError(400, 'providerData.code is required to re-authenticate');
	return code;
}

module.exports = { answerPlatform, present };

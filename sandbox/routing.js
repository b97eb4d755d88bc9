// @ts-check
'use strict';

/**
 * Route tables and replies shared by the platform API, the consent page and the control API.
 * Handlers return a Reply (or throw an HttpError); only the server writes to the socket.
 */

const crypto = require('node:crypto');

/** @typedef {import('./consent').Reply} Reply */
/** @typedef {import('./state').State} State */
/** @typedef {{ raw: string, json: unknown, jsonError: boolean, tooLarge: boolean }} Body */

/**
 * One request, as handlers see it.
 * @typedef {object} Ctx
 * @property {State} state
 * @property {string} method
 * @property {string} path  the full URL path
 * @property {Record<string, string | string[]>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {Body} body
 */

/**
 * @template C
 * @typedef {(ctx: C, params: Record<string, string>) => Reply} Handler
 */
/**
 * @template C
 * @typedef {{ pattern: RegExp, names: string[], methods: Record<string, Handler<C>> }} Route
 */

class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 * @param {Record<string, unknown>} [extra]  more body fields, e.g. providerMessage
	 */
	constructor(status, message, extra = {}) {
		super(message);
		this.status = status;
		this.extra = extra;
	}
}

/** @param {number} status @param {unknown} value @param {Record<string, string>} [headers] @returns {Reply} */
function jsonReply(status, value, headers = {}) {
	return {
		status,
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(value),
	};
}

/**
 * The platform's error body: { requestId, message } (+ providerMessage for provider errors).
 * @param {number} status
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 * @param {Record<string, string>} [headers]
 */
function errorReply(status, message, extra = {}, headers = {}) {
	return jsonReply(status, { requestId: crypto.randomUUID(), message, ...extra }, headers);
}

/**
 * Finds the route, checks the method, runs the handler; HttpErrors become JSON error replies.
 * @template C
 * @param {Route<C>[]} routes
 * @param {C & { method: string }} ctx
 * @param {string} path
 * @returns {Reply}
 */
function dispatch(routes, ctx, path) {
	const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
	try {
		for (const route of routes) {
			const match = route.pattern.exec(trimmed);
			if (!match) continue;
			const handler = route.methods[ctx.method];
			if (!handler) {
				return errorReply(
					405,
					`Method ${ctx.method} is not allowed on ${path}`,
					{},
					{ allow: Object.keys(route.methods).join(', ') },
				);
			}
			return handler(ctx, routeParams(route, match));
		}
		return errorReply(404, `No resource found at ${ctx.method} ${path}`);
	} catch (error) {
		if (error instanceof HttpError) return errorReply(error.status, error.message, error.extra);
		throw error;
	}
}

/**
 * @template C
 * @param {string} template  e.g. '/instances/:id'
 * @param {Record<string, Handler<C>>} methods
 * @returns {Route<C>}
 */
function route(template, methods) {
	/** @type {string[]} */
	const names = [];
	const source = template.replace(/:(\w+)/g, (_, name) => {
		names.push(name);
		return '([^/]+)';
	});
	return { pattern: new RegExp(`^${source}$`), names, methods };
}

/** @param {{ names: string[] }} route @param {RegExpExecArray} match */
function routeParams(route, match) {
	/** @type {Record<string, string>} */
	const params = {};
	route.names.forEach((name, i) => {
		try {
			params[name] = decodeURIComponent(match[i + 1]);
		} catch {
			throw new HttpError(400, `Malformed percent-encoding in the path: ${match[i + 1]}`);
		}
	});
	return params;
}

/** @param {Ctx} ctx @param {{ anyContentType?: boolean }} [options] @returns {Record<string, unknown>} */
function requireJsonObject(ctx, { anyContentType = false } = {}) {
	const { raw, json, jsonError } = ctx.body;
	if (raw.trim() === '') throw new HttpError(400, 'A JSON request body is required');
	const contentType = ctx.headers['content-type'] ?? '';
	if (!anyContentType && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
		throw new HttpError(415, `Unsupported content type '${contentType}': send application/json`);
	}
	if (jsonError) throw new HttpError(400, 'The request body is not valid JSON');
	if (!isObject(json)) throw new HttpError(400, 'The request body must be a JSON object');
	return json;
}

/** @param {URLSearchParams} params @returns {Record<string, string | string[]>} */
function queryObject(params) {
	/** @type {Record<string, string | string[]>} */
	const query = {};
	for (const [key, value] of params) {
		const existing = query[key];
		query[key] = existing === undefined ? value : [...listValues(existing), value];
	}
	return query;
}

/** @param {Record<string, string | string[]>} query @returns {Record<string, string>} */
function firstValues(query) {
	return Object.fromEntries(
		Object.entries(query).map(([key, value]) => [key, listValues(value)[0]]),
	);
}

/** @param {string | string[] | undefined} value */
function firstValue(value) {
	return listValues(value)[0];
}

/** @param {string | string[] | undefined} value @returns {string[]} */
function listValues(value) {
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value @returns {value is string} */
function isFilled(value) {
	return typeof value === 'string' && value.trim() !== '';
}

module.exports = {
	HttpError,
	jsonReply,
	errorReply,
	route,
	dispatch,
	requireJsonObject,
	queryObject,
	firstValues,
	firstValue,
	listValues,
	isObject,
	isFilled,
};

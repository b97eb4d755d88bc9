// @ts-check
'use strict';

/**
 * Fault injection: `sb.fail({ method?, path?, times?, ...kind })`. Faults are consumed FIFO by
 * the first matching platform API request (path after the API root, e.g. '/instances').
 *
 * What a fault does to the request it answers (the server runs these steps, see handle()):
 * - `drop: 'before'`: the socket is cut, the request is not processed;
 * - the request is processed for real unless `status` is given without `afterProcessing`;
 * - `drop: 'after'`: the socket is cut without an answer;
 * - the answer is the fault's (`status`: faultReply) or the real one, plus `headers` and
 *   `freshNextPageToken` (decorate);
 * - `delayMs` waits, then the answer is sent whole, dripped (`dripMs`) and/or cut in the middle
 *   of its body (`drop: 'midBody'`).
 */

const crypto = require('node:crypto');
const http = require('node:http');
const { errorReply, jsonReply } = require('./routing');
const { checkMs } = require('./state');

/** @typedef {import('./index').SandboxFault} SandboxFault */
/** @typedef {import('./state').State} State */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {SandboxFault & { remaining: number }} QueuedFault */
/**
 * What the sandbox received, for `echoRequest`.
 * @typedef {{ headers: import('node:http').IncomingHttpHeaders, rawQuery: string, rawBody: string }} Received
 */

const NEXT_PAGE_HEADER = 'elements-next-page-token';

/** Every field a fault may have; anything else is a typo and refused. */
const FIELDS = new Set([
	'method',
	'path',
	'times',
	'status',
	'retryAfter',
	'html',
	'body',
	'contentType',
	'drop',
	'delayMs',
	'headers',
	'afterProcessing',
	'dripMs',
	'freshNextPageToken',
	'echoRequest',
]);
/** Fields that shape the fault's own answer: they need `status`. */
const NEEDS_STATUS = [
	'retryAfter',
	'html',
	'body',
	'contentType',
	'afterProcessing',
	'echoRequest',
];
/** Fields about an answer: meaningless when `drop` is 'before' or 'after' (no answer at all). */
const NEEDS_ANSWER = ['status', ...NEEDS_STATUS, 'headers', 'dripMs', 'freshNextPageToken'];
/** Headers the sandbox sets itself (the body's real length). */
const RESERVED_HEADERS = new Set(['content-length', 'transfer-encoding']);
/** Statuses that never carry a body. */
const BODYLESS = new Set([204, 304]);

/** @param {SandboxFault} fault @returns {QueuedFault} */
function normalizeFault(fault) {
	if (!fault || typeof fault !== 'object') throw new TypeError('A fault must be an object');
	const unknown = Object.keys(fault).filter((key) => !FIELDS.has(key));
	if (unknown.length > 0) throw new TypeError(`Unknown fault field: ${unknown.join(', ')}`);
	/** Given and not false (`afterProcessing: false` is the same as leaving it out). */
	const given = (/** @type {string} */ key) => {
		const value = /** @type {Record<string, unknown>} */ (fault)[key];
		return value !== undefined && value !== false;
	};
	const { status, drop, delayMs, dripMs, headers, path, method, times = 1 } = fault;
	if (status === undefined) {
		const orphan = NEEDS_STATUS.filter(given);
		if (orphan.length > 0) throw new TypeError(`${orphan.join(', ')} needs status`);
	}
	if (!['status', 'drop', 'delayMs', 'dripMs', 'headers', 'freshNextPageToken'].some(given)) {
		throw new TypeError(
			'A fault needs status, drop, delayMs, dripMs, headers or freshNextPageToken',
		);
	}
	if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
		throw new TypeError(`Invalid fault status: ${status}`);
	}
	if (drop !== undefined && drop !== 'before' && drop !== 'after' && drop !== 'midBody') {
		throw new TypeError("drop must be 'before', 'after' or 'midBody'");
	}
	if (delayMs !== undefined) checkMs(delayMs, 'delayMs');
	if (
		dripMs !== undefined &&
		!(typeof dripMs === 'number' && Number.isFinite(dripMs) && dripMs > 0)
	) {
		throw new TypeError('dripMs must be a number of ms > 0');
	}
	for (const flag of /** @type {const} */ ([
		'afterProcessing',
		'freshNextPageToken',
		'echoRequest',
		'html',
	])) {
		if (fault[flag] !== undefined && typeof fault[flag] !== 'boolean')
			throw new TypeError(`${flag} must be a boolean`);
	}
	if (fault.contentType !== undefined && typeof fault.contentType !== 'string')
		throw new TypeError('contentType must be a string');
	const retryAfter = fault.retryAfter;
	if (
		retryAfter !== undefined &&
		typeof retryAfter !== 'number' &&
		typeof retryAfter !== 'string'
	) {
		throw new TypeError('retryAfter must be a number or a string');
	}
	const extraHeaders = headers === undefined ? undefined : checkHeaders(headers);
	if (drop === 'before' || drop === 'after') {
		const useless = NEEDS_ANSWER.filter(given);
		if (useless.length > 0)
			throw new TypeError(
				`drop '${drop}' sends no answer: ${useless.join(', ')} would have no effect`,
			);
	}
	if (fault.echoRequest && ['body', 'html', 'contentType'].some(given)) {
		throw new TypeError(
			'echoRequest makes its own JSON body: body, html and contentType cannot go with it',
		);
	}
	if (
		status !== undefined &&
		BODYLESS.has(status) &&
		((fault.body !== undefined && fault.body !== '') || fault.html || fault.echoRequest)
	) {
		throw new TypeError(
			`A ${status} answer has no body: body (other than ''), html and echoRequest cannot go with it`,
		);
	}
	if (!Number.isInteger(times) || times < 1)
		throw new TypeError('times must be a positive integer');
	if (path !== undefined && typeof path !== 'string' && !(path instanceof RegExp)) {
		throw new TypeError('path must be a string prefix or a RegExp');
	}
	if (method !== undefined && typeof method !== 'string')
		throw new TypeError('method must be a string');
	return {
		...fault,
		...(extraHeaders ? { headers: extraHeaders } : {}),
		method: method?.toUpperCase(),
		path: path instanceof RegExp ? new RegExp(path.source, path.flags.replace(/[gy]/g, '')) : path,
		remaining: times,
	};
}

/**
 * A plain object of valid header names to string values; names are lower-cased.
 * @param {unknown} headers @returns {Record<string, string>}
 */
function checkHeaders(headers) {
	if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
		throw new TypeError('headers must be an object of header names to string values');
	}
	/** @type {Record<string, string>} */
	const result = {};
	for (const [name, value] of Object.entries(headers)) {
		if (typeof value !== 'string')
			throw new TypeError(`headers: the value of '${name}' must be a string`);
		try {
			http.validateHeaderName(name);
			http.validateHeaderValue(name, value);
		} catch (error) {
			throw new TypeError(
				`headers: '${name}' is not a valid header (${error instanceof Error ? error.message : error})`,
			);
		}
		const lower = name.toLowerCase();
		if (RESERVED_HEADERS.has(lower))
			throw new TypeError(`headers: '${name}' is set by the sandbox (the body's real length)`);
		result[lower] = value;
	}
	return result;
}

/** FIFO: the first queued fault that matches answers. @param {State} state @param {string} method @param {string} apiPath */
function takeFault(state, method, apiPath) {
	const index = state.faults.findIndex(
		(f) =>
			(f.method === undefined || f.method === method) &&
			(f.path === undefined ||
				(typeof f.path === 'string' ? apiPath.startsWith(f.path) : f.path.test(apiPath))),
	);
	if (index === -1) return undefined;
	const fault = state.faults[index];
	fault.remaining -= 1;
	if (fault.remaining === 0) state.faults.splice(index, 1);
	return fault;
}

/** @param {QueuedFault} fault @returns {Record<string, unknown>} */
function describeFault(fault) {
	const { remaining: _remaining, times: _times, ...rest } = fault;
	return {
		...rest,
		...(fault.headers ? { headers: { ...fault.headers } } : {}),
		path: fault.path instanceof RegExp ? String(fault.path) : fault.path,
	};
}

/**
 * The fault's own answer (a fault with `status`), before `headers` and `freshNextPageToken`.
 * @param {QueuedFault} fault @param {Received} received @returns {Reply}
 */
function faultReply(fault, received) {
	const status = /** @type {number} */ (fault.status);
	/** @type {Record<string, string>} */
	const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
	if (BODYLESS.has(status)) return { status, headers, body: '' };
	if (fault.echoRequest) {
		const authorization = received.headers.authorization ?? '';
		return jsonReply(
			status,
			{
				requestId: `echo-${crypto.randomUUID()}`,
				message: `Echoed: ${authorization} ${received.rawQuery}`,
				headers: { ...received.headers },
				body: received.rawBody,
			},
			headers,
		);
	}
	if (fault.html) {
		const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
		return {
			status,
			headers: { ...headers, 'content-type': 'text/html' },
			body:
				`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
				'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
		};
	}
	if (fault.body !== undefined) {
		const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
		const contentType = fault.contentType ?? (body === '' ? undefined : 'application/json');
		return {
			status,
			headers: contentType ? { ...headers, 'content-type': contentType } : headers,
			body,
		};
	}
	if (status === 429) {
		return errorReply(
			429,
			'Too many requests: the provider rate limit was exceeded',
			{ providerMessage: 'Developer Over Qps' },
			headers,
		);
	}
	return errorReply(status, http.STATUS_CODES[status] ?? 'Error', {}, headers);
}

/**
 * The answer (the fault's or the real one) with the fault's `headers` (they win) and a fresh
 * `elements-next-page-token` for `freshNextPageToken`.
 * @param {QueuedFault} fault @param {Reply} reply @returns {Reply}
 */
function decorate(fault, reply) {
	if (!fault.headers && !fault.freshNextPageToken) return reply;
	/** @type {Record<string, string>} */
	const headers = { ...reply.headers, ...fault.headers };
	if (fault.freshNextPageToken) headers[NEXT_PAGE_HEADER] = freshPageToken();
	return { ...reply, headers };
}

/** Looks like the platform's tokens (base64 JSON), never the same twice, never a valid page. */
function freshPageToken() {
	return Buffer.from(JSON.stringify({ page: crypto.randomUUID(), v: 1 })).toString('base64');
}

module.exports = { normalizeFault, takeFault, describeFault, faultReply, decorate, BODYLESS };

// @ts-check
'use strict';

/**
 * A local stand-in for Cloud Elements / SAP Open Connectors (platform API under
 * /elements/api-v2), the fake Infusionsoft consent page (/app/oauth/authorize) and a control
 * API for tests (/__sandbox). Node's `http` only. See README.md.
 *
 * Internal: outsiders use the entry point, `require('./sandbox')` (index.js, types index.d.ts).
 * This module keeps exporting `startSandbox` and `EXAMPLE` for callers not switched yet.
 *
 * All state lives in the object that `startSandbox` creates: several sandboxes can run
 * side by side in one process.
 */

const http = require('node:http');
const consent = require('./consent');
const { EXAMPLE, createState, resetState, issueCode, checkMs } = require('./state');
const { takeSnapshot, restoreSnapshot } = require('./snapshot');
const {
	HttpError,
	jsonReply,
	errorReply,
	route,
	dispatch,
	requireJsonObject,
	queryObject,
	firstValues,
	isFilled,
} = require('./routing');
const {
	normalizeFault,
	takeFault,
	describeFault,
	faultReply,
	decorate,
	BODYLESS,
} = require('./faults');
const { answerPlatform, present } = require('./platform');
const { seedRecords, listRecords, addCustomFields } = require('./records');
const { pollEvents, eventDeliveries, eventSubscriptions, eventsSettled } = require('./events');
const { admit, setRateLimit, rateLimitStats } = require('./ratelimit');

/** @typedef {import('./index').SandboxOptions} SandboxOptions */
/** @typedef {import('./index').Sandbox} Sandbox */
/** @typedef {import('./index').SandboxFault} SandboxFault */
/** @typedef {import('./index').RecordedRequest} RecordedRequest */
/** @typedef {import('./consent').Reply} Reply */
/** @typedef {import('./state').State} State */
/** @typedef {import('./routing').Body} Body */
/** @typedef {import('./routing').Ctx} Ctx */
/**
 * @template C
 * @typedef {import('./routing').Handler<C>} Handler
 */
/**
 * @template C
 * @typedef {import('./routing').Route<C>} Route
 */

const API_ROOT = '/elements/api-v2';
const CONTROL_ROOT = '/__sandbox';
const MAX_BODY_BYTES = 1024 * 1024;
/** A file upload through the hub carries a file of up to 10 MB as base64 (about 13.4 MB of JSON). */
const MAX_UPLOAD_BODY_BYTES = 16 * 1024 * 1024;
const UPLOAD_PATH = /\/hubs\/crm\/files\/?$/;
/** The control API takes bigger bodies: seeding 10,000 records is a few MB of JSON. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;
const MAX_RECORDED_REQUESTS = 10000;

// Start and stop

/**
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
	const state = createState(options);
	const server = http.createServer((req, res) => {
		handle(state, req, res).catch((error) => {
			if (!(error instanceof Cancelled))
				send(state, res, errorReply(500, `Sandbox error: ${error.message}`));
		});
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
		else socket.destroy();
	});
	const port = await listen(server, options.port ?? 0);
	state.url = `http://127.0.0.1:${port}`;

	return {
		url: state.url,
		apiRoot: state.url + API_ROOT,
		requests: state.requests,
		instances: state.instances,
		issueCode: (grant) => issueCode(state, grant),
		fail: (fault) => {
			state.faults.push(normalizeFault(fault));
		},
		setLatency: (ms) => {
			state.latencyMs = checkMs(ms, 'latency');
		},
		reset: () => resetState(state),
		snapshot: () => takeSnapshot(state),
		restore: (snapshot) => restoreSnapshot(state, snapshot),
		close: () => closeServer(state, server),
		pendingTimers: () => state.timers.size,
		// the stored shapes are the element's (SandboxHubRecord); the caller names which one it expects
		seedRecords: (instanceId, object, records) =>
			/** @type {any} */ (seedRecords(state, instanceId, object, records)),
		records: (instanceId, object) => /** @type {any} */ (listRecords(state, instanceId, object)),
		addCustomFields: (instanceId, object, fields) =>
			addCustomFields(state, instanceId, object, fields),
		pollEvents: (instanceId) =>
			pollEvents(
				state,
				instanceId === undefined ? undefined : requireInstance(state, instanceId).id,
			),
		eventDeliveries: (filter) => eventDeliveries(state, filter),
		eventSubscriptions: () => eventSubscriptions(state),
		eventsSettled: (timeoutMs) => eventsSettled(state, timeoutMs),
		breakInstance: (id) => setInstanceState(state, id, { valid: false }),
		disableInstance: (id) => setInstanceState(state, id, { disabled: true }),
		repairInstance: (id) => setInstanceState(state, id, { valid: true, disabled: false }),
		setRateLimit: (limit) => setRateLimit(state.rateLimiter, limit),
		rateLimitStats: () => rateLimitStats(state.rateLimiter),
	};
}

/** @param {http.Server} server @param {number} port @returns {Promise<number>} */
function listen(server, port) {
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new TypeError(`Invalid port: ${port}`);
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

/** @param {State} state @param {http.Server} server */
function closeServer(state, server) {
	if (!state.closing) {
		for (const cancel of [...state.inFlight]) cancel();
		for (const timer of state.timers) clearTimeout(timer);
		state.timers.clear();
		state.closing = new Promise((resolve, reject) =>
			server.close((error) => (error ? reject(error) : resolve())),
		);
		server.closeAllConnections();
	}
	return state.closing;
}

// The request pipeline: control API | consent page | platform API (latency, faults, routes)

/**
 * @param {State} state
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function handle(state, req, res) {
	const url = parseRequestUrl(req.url ?? '/');
	const limit = !url
		? MAX_BODY_BYTES
		: isUnder(url.pathname, CONTROL_ROOT)
			? MAX_CONTROL_BODY_BYTES
			: UPLOAD_PATH.test(url.pathname)
				? MAX_UPLOAD_BODY_BYTES
				: MAX_BODY_BYTES;
	const body = await readBody(req, limit);
	if (!url) return send(state, res, errorReply(400, `Malformed request URL: ${req.url}`));
	/** @type {Ctx} */
	const ctx = {
		state,
		method: req.method ?? 'GET',
		path: url.pathname,
		query: queryObject(url.searchParams),
		headers: req.headers,
		body,
	};
	if (body.tooLarge)
		return send(state, res, errorReply(413, `Request body larger than ${limit} bytes`));
	if (isUnder(ctx.path, CONTROL_ROOT))
		return send(state, res, dispatch(CONTROL_ROUTES, ctx, ctx.path.slice(CONTROL_ROOT.length)));

	const record = recordRequest(ctx);
	if (!isUnder(ctx.path, API_ROOT))
		return send(state, res, dispatch(CONSENT_ROUTES, ctx, ctx.path));

	const apiPath = ctx.path.slice(API_ROOT.length) || '/';
	const tooMany = admit(state.rateLimiter, req.headers.authorization);
	if (tooMany) record.rateLimited = true;
	await pause(state, state.latencyMs, res);
	if (tooMany) return send(state, res, tooMany); // not acted on; no fault is taken
	const fault = takeFault(state, ctx.method, apiPath);
	if (!fault) return send(state, res, answerPlatform(ctx, apiPath));
	record.fault = describeFault(fault);
	if (fault.drop === 'before') {
		await pause(state, fault.delayMs ?? 0, res);
		return void req.socket.destroy();
	}
	// processed for real unless the fault answers in the platform's place without afterProcessing
	const real =
		fault.status === undefined || fault.afterProcessing ? answerPlatform(ctx, apiPath) : undefined;
	if (fault.drop === 'after') {
		await pause(state, fault.delayMs ?? 0, res);
		return void req.socket.destroy();
	}
	const target = req.url ?? '';
	const rawQuery = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
	const answer =
		fault.status === undefined
			? /** @type {Reply} */ (real)
			: faultReply(fault, { headers: req.headers, rawQuery, rawBody: body.raw });
	const reply = decorate(fault, answer);
	await pause(state, fault.delayMs ?? 0, res);
	return send(state, res, reply, { midBody: fault.drop === 'midBody', dripMs: fault.dripMs });
}

/** @param {string} target  the request target, e.g. '/instances?x=1' */
function parseRequestUrl(target) {
	try {
		return new URL(`http://127.0.0.1${target.startsWith('/') ? '' : '/'}${target}`);
	} catch {
		return undefined;
	}
}

/** @param {http.IncomingMessage} req @param {number} limit @returns {Promise<Body>} */
function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('error', reject);
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			/** @type {Body} */
			const body = { raw, json: undefined, jsonError: false, tooLarge: size > limit };
			if (raw.trim() !== '') {
				try {
					body.json = JSON.parse(raw);
				} catch {
					body.jsonError = true;
				}
			}
			resolve(body);
		});
	});
}

/**
 * Writes a reply with the content-length of its whole body (none for 204 and 304, which have no
 * body). `midBody`: only the first half of the body, then the socket is destroyed. `dripMs`:
 * the headers at once, then the body one byte every dripMs ms.
 * @param {State} state
 * @param {http.ServerResponse} res
 * @param {Reply} reply
 * @param {{ midBody?: boolean, dripMs?: number }} [how]
 */
function send(state, res, reply, { midBody = false, dripMs } = {}) {
	if (res.headersSent || res.destroyed) return;
	const bodyless = BODYLESS.has(reply.status);
	const body = bodyless ? Buffer.alloc(0) : Buffer.from(reply.body, 'utf8');
	res.writeHead(
		reply.status,
		bodyless ? reply.headers : { ...reply.headers, 'content-length': body.length },
	);
	const sent = midBody ? body.subarray(0, Math.floor(body.length / 2)) : body;
	const finish = midBody ? () => res.destroy() : () => res.end();
	if (dripMs) return drip(state, res, sent, dripMs, finish);
	if (!midBody) return void res.end(body);
	res.flushHeaders();
	if (sent.length === 0) return void setImmediate(finish);
	res.write(sent, finish);
}

/**
 * Sends the body one byte every `ms` ms, then calls `finish` once the last byte is written.
 * Stops when the client goes away; reset() and close() stop it too (state.inFlight, state.timers).
 * @param {State} state @param {http.ServerResponse} res @param {Buffer} body @param {number} ms @param {() => void} finish
 */
function drip(state, res, body, ms, finish) {
	res.flushHeaders();
	let sent = 0;
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const stop = () => {
		if (timer) {
			clearTimeout(timer);
			state.timers.delete(timer);
			timer = undefined;
		}
		state.inFlight.delete(cancel);
		res.off('close', stop);
	};
	const cancel = () => {
		stop();
		res.destroy();
	};
	const tick = () => {
		if (timer) state.timers.delete(timer);
		timer = undefined;
		if (res.destroyed) return stop();
		if (sent === body.length) {
			stop();
			return finish();
		}
		const last = sent === body.length - 1;
		const byte = body.subarray(sent, sent + 1);
		sent += 1;
		if (last) {
			stop();
			return void res.write(byte, finish);
		}
		res.write(byte);
		schedule();
	};
	const schedule = () => {
		timer = setTimeout(tick, ms);
		state.timers.add(timer);
	};
	state.inFlight.add(cancel);
	res.on('close', stop);
	schedule();
}

/** @param {Ctx} ctx @returns {RecordedRequest} */
function recordRequest(ctx) {
	const { raw, json, jsonError } = ctx.body;
	/** @type {RecordedRequest} */
	const record = {
		method: ctx.method,
		path: ctx.path,
		query: ctx.query,
		headers: { ...ctx.headers },
		body: raw === '' ? undefined : jsonError ? raw : json,
		time: Date.now(),
	};
	const { requests } = ctx.state;
	requests.push(record);
	if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
	return record;
}

/** Thrown by a wait that reset() or close() cancelled: the request is dropped silently. */
class Cancelled extends Error {}

/**
 * Waits `ms`; reset() and close() cancel the wait (the connection is cut, the promise rejects
 * with Cancelled). @param {State} state @param {number} ms @param {http.ServerResponse} res @returns {Promise<void>}
 */
function pause(state, ms, res) {
	if (!(ms > 0)) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const done = () => {
			clearTimeout(timer);
			state.timers.delete(timer);
			state.inFlight.delete(cancel);
		};
		const cancel = () => {
			done();
			res.destroy();
			reject(new Cancelled('cancelled by reset() or close()'));
		};
		const timer = setTimeout(() => {
			done();
			resolve();
		}, ms);
		state.timers.add(timer);
		state.inFlight.add(cancel);
	});
}

// Control API (no auth, no latency, no faults, not recorded)

/** @type {Handler<Ctx>} */
function controlHealth(ctx) {
	const { state } = ctx;
	return jsonReply(200, {
		ok: true,
		url: state.url,
		apiRoot: state.url + API_ROOT,
		instances: state.instances.size,
		latencyMs: state.latencyMs,
		rateLimit: rateLimitStats(state.rateLimiter),
		eventMinuteMs: state.events.minuteMs,
	});
}

/** @type {Handler<Ctx>} */
function controlFault(ctx) {
	const body = requireJsonObject(ctx, { anyContentType: true });
	/** @type {SandboxFault} */
	const fault = { ...body };
	if (typeof body.pathRegExp === 'string') {
		try {
			fault.path = new RegExp(body.pathRegExp);
		} catch {
			throw new HttpError(400, `Invalid pathRegExp: ${body.pathRegExp}`);
		}
		const loose = /** @type {Record<string, unknown>} */ (fault);
		delete loose.pathRegExp;
	}
	try {
		ctx.state.faults.push(normalizeFault(fault));
	} catch (error) {
		throw new HttpError(400, error instanceof Error ? error.message : String(error));
	}
	return jsonReply(200, { ok: true, queued: ctx.state.faults.length });
}

/** @type {Handler<Ctx>} */
function controlLatency(ctx) {
	const { ms } = requireJsonObject(ctx, { anyContentType: true });
	if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms))
		throw new HttpError(400, 'ms must be a number >= 0');
	ctx.state.latencyMs = ms;
	return jsonReply(200, { ok: true, latencyMs: ms });
}

/** @type {Handler<Ctx>} */
function controlIssueCode(ctx) {
	const { clientId, callbackUrl } = requireJsonObject(ctx, { anyContentType: true });
	if (!isFilled(clientId) || !isFilled(callbackUrl))
		throw new HttpError(400, 'clientId and callbackUrl are required');
	return jsonReply(200, {
		code: issueCode(ctx.state, { clientId: String(clientId), callbackUrl: String(callbackUrl) }),
	});
}

/** @type {Handler<Ctx>} */
function controlInstanceState(ctx, { id }) {
	const body = requireJsonObject(ctx, { anyContentType: true });
	const instanceId = controlInstanceId(ctx, id);
	for (const flag of /** @type {const} */ (['valid', 'disabled'])) {
		if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
			throw new HttpError(400, `${flag} must be a boolean`);
	}
	return jsonReply(
		200,
		setInstanceState(ctx.state, instanceId, {
			valid: /** @type {boolean | undefined} */ (body.valid),
			disabled: /** @type {boolean | undefined} */ (body.disabled),
		}),
	);
}

/**
 * The instance's connection as the platform sees it: `valid: false` is a dead connection (hub
 * calls 401 invalid_token, the node's Test Connection says needs-reauthentication; the event
 * poller skips it), `disabled: true` a disabled instance (hub calls 403). Answers the instance
 * as the API shows it. sb.breakInstance / disableInstance / repairInstance and the control API.
 * @param {State} state @param {number} id @param {{ valid?: boolean, disabled?: boolean }} flags
 */
function setInstanceState(state, id, flags) {
	const instance = requireInstance(state, id);
	if (flags.valid !== undefined) instance.valid = flags.valid;
	if (flags.disabled !== undefined) instance.disabled = flags.disabled;
	return present(instance);
}

/** @param {State} state @param {number} id */
function requireInstance(state, id) {
	const instance = state.instances.get(id);
	if (!instance) throw new TypeError(`No instance with id ${id}`);
	return instance;
}

/** POST /__sandbox/events/poll [{ instanceId }] and /__sandbox/instances/:id/events/poll → the poll results. @type {Handler<Ctx>} */
function controlPoll(ctx, { id }) {
	const body = ctx.body.raw.trim() === '' ? {} : requireJsonObject(ctx, { anyContentType: true });
	const given = id ?? (body.instanceId === undefined ? undefined : String(body.instanceId));
	const instanceId = given === undefined ? undefined : controlInstanceId(ctx, given);
	return jsonReply(200, pollEvents(ctx.state, instanceId));
}

/** GET /__sandbox/events/deliveries[?instanceId=] → the delivery log, oldest first. @type {Handler<Ctx>} */
function controlDeliveries(ctx) {
	const given = firstValues(ctx.query).instanceId;
	if (given !== undefined && !/^\d+$/.test(given))
		throw new HttpError(400, 'instanceId must be a number');
	return jsonReply(
		200,
		eventDeliveries(ctx.state, given === undefined ? {} : { instanceId: Number(given) }),
	);
}

/** POST /__sandbox/rate-limit { perSecond, burst? } (perSecond null: no limit) → the stats. @type {Handler<Ctx>} */
function controlRateLimit(ctx) {
	const body = requireJsonObject(ctx, { anyContentType: true });
	try {
		setRateLimit(ctx.state.rateLimiter, body.perSecond === null ? null : body);
	} catch (error) {
		throw new HttpError(400, error instanceof Error ? error.message : String(error));
	}
	return jsonReply(200, rateLimitStats(ctx.state.rateLimiter));
}

/** @param {'break' | 'disable' | 'repair'} action @returns {Handler<Ctx>} */
const controlConnection =
	(action) =>
	(ctx, { id }) => {
		const flags = {
			break: { valid: false },
			disable: { disabled: true },
			repair: { valid: true, disabled: false },
		}[action];
		return jsonReply(200, setInstanceState(ctx.state, controlInstanceId(ctx, id), flags));
	};

/**
 * POST /__sandbox/instances/:id/records/:object with `[...]` or `{ records: [...] }`: seeds
 * (ids assigned, dates set, only the shape checked) → `{ created, records }`.
 * @type {Handler<Ctx>}
 */
function controlSeedRecords(ctx, { id, object }) {
	const instanceId = controlInstanceId(ctx, id);
	const { raw, json, jsonError } = ctx.body;
	if (raw.trim() === '')
		throw new HttpError(400, 'A JSON request body is required: [records] or { records: [...] }');
	if (jsonError) throw new HttpError(400, 'The request body is not valid JSON');
	const records = Array.isArray(json)
		? json
		: json !== null && typeof json === 'object' && 'records' in json
			? json.records
			: undefined;
	if (!Array.isArray(records))
		throw new HttpError(400, 'Send an array of records, or { records: [...] }');
	const created = controlRecords(() => seedRecords(ctx.state, instanceId, object, records));
	return jsonReply(200, { created: created.length, records: created });
}

/** GET /__sandbox/instances/:id/records/:object → the stored records (a JSON array, in id order). @type {Handler<Ctx>} */
function controlListRecords(ctx, { id, object }) {
	const instanceId = controlInstanceId(ctx, id);
	return jsonReply(
		200,
		controlRecords(() => listRecords(ctx.state, instanceId, object)),
	);
}

/**
 * POST /__sandbox/instances/:id/customFields/:object with `[{ label, type }]` or
 * `{ fields: [...] }`: the account's new custom fields (ids assigned) → `{ fields }`.
 * @type {Handler<Ctx>}
 */
function controlAddCustomFields(ctx, { id, object }) {
	const instanceId = controlInstanceId(ctx, id);
	const { json, jsonError } = ctx.body;
	if (jsonError) throw new HttpError(400, 'The request body is not valid JSON');
	const fields = Array.isArray(json)
		? json
		: json !== null && typeof json === 'object' && 'fields' in json
			? json.fields
			: undefined;
	if (!Array.isArray(fields))
		throw new HttpError(400, 'Send [{ label, type }], or { fields: [...] }');
	return jsonReply(200, {
		fields: controlRecords(() => addCustomFields(ctx.state, instanceId, object, fields)),
	});
}

/** @param {Ctx} ctx @param {string} id */
function controlInstanceId(ctx, id) {
	if (!/^\d+$/.test(id) || !ctx.state.instances.has(Number(id)))
		throw new HttpError(404, `No instance found with id ${id}`);
	return Number(id);
}

/**
 * TypeErrors of the records module as control API errors: an object the element does not have
 * is 404, a bad record 400.
 * @template T @param {() => T} run @returns {T}
 */
function controlRecords(run) {
	try {
		return run();
	} catch (error) {
		if (!(error instanceof TypeError)) throw error;
		throw new HttpError(error.message.startsWith('No object ') ? 404 : 400, error.message);
	}
}

/** @param {State} state @returns {import('./consent').ConsentServices} */
function consentServices(state) {
	return {
		findApp: (clientId) => state.apps.find((app) => app.clientId === clientId),
		issueCode: (grant) => issueCode(state, grant),
	};
}

/** @type {Route<Ctx>[]} */
const CONSENT_ROUTES = [
	route(consent.AUTHORIZE_PATH, {
		GET: (ctx) => consent.authorizePage(firstValues(ctx.query), consentServices(ctx.state)),
	}),
	route(consent.DECISION_PATH, {
		GET: (ctx) => consent.decide(firstValues(ctx.query), consentServices(ctx.state)),
	}),
];

/** @type {Route<Ctx>[]} */
const CONTROL_ROUTES = [
	route('/health', { GET: controlHealth }),
	route('/requests', { GET: (ctx) => jsonReply(200, ctx.state.requests) }),
	route('/reset', {
		POST: (ctx) => {
			resetState(ctx.state);
			return jsonReply(200, { ok: true });
		},
	}),
	route('/faults', { POST: controlFault }),
	route('/latency', { POST: controlLatency }),
	route('/codes', { POST: controlIssueCode }),
	route('/instances/:id/state', { POST: controlInstanceState }),
	route('/instances/:id/break', { POST: controlConnection('break') }),
	route('/instances/:id/disable', { POST: controlConnection('disable') }),
	route('/instances/:id/repair', { POST: controlConnection('repair') }),
	route('/instances/:id/events/poll', { POST: controlPoll }),
	route('/events', { GET: (ctx) => jsonReply(200, eventSubscriptions(ctx.state)) }),
	route('/events/poll', { POST: controlPoll }),
	route('/events/deliveries', { GET: controlDeliveries }),
	route('/rate-limit', {
		GET: (ctx) => jsonReply(200, rateLimitStats(ctx.state.rateLimiter)),
		POST: controlRateLimit,
	}),
	route('/instances/:id/records/:object', { GET: controlListRecords, POST: controlSeedRecords }),
	route('/instances/:id/customFields/:object', { POST: controlAddCustomFields }),
];

/** @param {string} path @param {string} root */
function isUnder(path, root) {
	return path === root || path.startsWith(`${root}/`);
}

module.exports = { startSandbox, EXAMPLE };

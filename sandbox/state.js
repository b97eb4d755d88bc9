// @ts-check
'use strict';

/**
 * The state of one sandbox: accounts, OAuth apps, instances, codes, faults, recorded
 * requests. Created per `startSandbox` call, never shared: there is no module-level
 * mutable state anywhere in the sandbox.
 */

const crypto = require('node:crypto');
const { isFilled } = require('./routing');
const { createEvents, resetEvents } = require('./events');
const { createRateLimiter, resetRateLimit } = require('./ratelimit');
const { InstanceMap } = require('./instances');

/** @typedef {import('./index').SandboxOptions} SandboxOptions */
/** @typedef {import('./index').RecordedRequest} RecordedRequest */
/** @typedef {import('./index').SandboxInstance} SandboxInstance */
/** @typedef {import('./faults').QueuedFault} QueuedFault */

/**
 * An account of the stand-in: its secrets, and the ids its event notifications carry
 * (`userId` is also the instances' `user.id`; `accountId` 874 and `companyId` 291 for the
 * first account, as the notes' example notification, then counting up).
 * @typedef {{ userSecret: string, organizationSecret: string, userId: number, accountId: number, companyId: number }} Account
 */
/** @typedef {{ clientId: string, clientSecret: string, name: string }} App */
/** @typedef {{ clientId: string, callbackUrl: string, expiresAt: number }} Grant  an issued authorization code */

/**
 * @typedef {object} State
 * @property {Account[]} accounts
 * @property {App[]} apps
 * @property {number} codeTtlMs
 * @property {number} pageSizeDefault
 * @property {number} latencyMs
 * @property {number} nextId
 * @property {InstanceMap} instances  id -> instance, names indexed for searchText (instances.js)
 * @property {Map<string, SandboxInstance>} tokens  instance token -> instance, a cache for the Element token (platform.js checks each hit)
 * @property {Map<number, Map<string, number>>} configIds  instance id -> configuration key -> its entry id (GET /instances/{id}/configuration)
 * @property {number} nextConfigId
 * @property {import('./events').EventsEngine} events  the event engine (events.js)
 * @property {import('./ratelimit').RateLimiter} rateLimiter  the platform API's rate limit and its counters (ratelimit.js)
 * @property {Map<number, Map<string, import('./records').Table>>} records  hub records: instance id -> object name -> table
 * @property {Map<number, Map<string, import('./records').CustomFieldDef[]>>} customFields  the account's custom fields: instance id -> object name -> fields
 * @property {RecordedRequest[]} requests
 * @property {Map<string, Grant>} codes
 * @property {QueuedFault[]} faults
 * @property {Set<NodeJS.Timeout>} timers  pending latency / delay / drip timers, cleared by close()
 * @property {Set<() => void>} inFlight  one per request waiting (latency, delayMs) or being dripped (dripMs): cancels
 *   its timer and cuts its connection; reset() and close() call them all
 * @property {string} url
 * @property {Promise<void> | null} closing
 */

const FIRST_INSTANCE_ID = 12345;
const FIRST_USER_ID = 1001;
const FIRST_ACCOUNT_ID = 874;
const FIRST_COMPANY_ID = 291;
const FIRST_CONFIG_ID = 700001;

/**
 * Example values for docs, the demo and tests: the default account and OAuth app. The secrets
 * are base64-like with '/', '+' and '=' on purpose: they must be sent raw, never URL-encoded.
 */
const EXAMPLE = Object.freeze({
	userSecret: 'uS3r/Secret+Example==',
	organizationSecret: '0rG/Secret+Example+9x=',
	clientId: 'example4ynetc9z7v6vajwvkw',
	clientSecret: 'cL1ent/Secret+Example=',
	callbackUrl: 'http://localhost:5678/webhook/infusionsoft-crm/callback',
	encryptedKey: '47d9d59aa25f7e4fc00f73331071edb4',
	server: 'dt123.infusionsoft.com',
});

/** @param {SandboxOptions} options @returns {State} */
function createState(options) {
	const accounts = options.accounts ?? [EXAMPLE];
	const apps = options.apps ?? [{ ...EXAMPLE, name: 'n8n (example app)' }];
	if (
		!Array.isArray(accounts) ||
		!accounts.every((a) => isFilled(a?.userSecret) && isFilled(a?.organizationSecret))
	) {
		throw new TypeError('accounts must be an array of { userSecret, organizationSecret }');
	}
	if (
		!Array.isArray(apps) ||
		!apps.every((a) => isFilled(a?.clientId) && isFilled(a?.clientSecret))
	) {
		throw new TypeError('apps must be an array of { clientId, clientSecret }');
	}
	const pageSizeDefault = options.pageSizeDefault ?? 200;
	if (!Number.isInteger(pageSizeDefault) || pageSizeDefault < 1)
		throw new TypeError('pageSizeDefault must be a positive integer');
	return {
		accounts: accounts.map((a, i) => ({
			userSecret: a.userSecret,
			organizationSecret: a.organizationSecret,
			userId: FIRST_USER_ID + i,
			accountId: FIRST_ACCOUNT_ID + i,
			companyId: FIRST_COMPANY_ID + i,
		})),
		apps: apps.map((a) => ({
			clientId: a.clientId,
			clientSecret: a.clientSecret,
			name: 'name' in a && a.name ? a.name : `OAuth app ${a.clientId}`,
		})),
		codeTtlMs: checkMs(options.codeTtlMs ?? 600000, 'codeTtlMs'),
		pageSizeDefault,
		latencyMs: checkMs(options.latencyMs ?? 0, 'latencyMs'),
		nextId: FIRST_INSTANCE_ID,
		instances: new InstanceMap(),
		tokens: new Map(),
		configIds: new Map(),
		nextConfigId: FIRST_CONFIG_ID,
		events: createEvents(options),
		rateLimiter: createRateLimiter(options.rateLimit),
		records: new Map(),
		customFields: new Map(),
		requests: [],
		codes: new Map(),
		faults: [],
		timers: new Set(),
		inFlight: new Set(),
		url: '',
		closing: null,
	};
}

/**
 * Forgets everything but the latency and the rate limit (its counters start over). Requests
 * still waiting (latency, delayMs) or being dripped are cut off, and so are event deliveries in
 * flight, so that nothing from before the reset is processed or answered after it.
 * @param {State} state
 */
function resetState(state) {
	for (const cancel of [...state.inFlight]) cancel();
	resetEvents(state);
	resetRateLimit(state.rateLimiter);
	state.instances.clear();
	state.tokens.clear();
	state.configIds.clear();
	state.nextConfigId = FIRST_CONFIG_ID;
	state.records.clear();
	state.customFields.clear();
	state.requests.length = 0;
	state.codes.clear();
	state.faults.length = 0;
	state.nextId = FIRST_INSTANCE_ID;
}

/** @param {State} state @param {{ clientId: string, callbackUrl: string }} grant */
function issueCode(state, grant) {
	if (!isFilled(grant?.clientId) || !isFilled(grant?.callbackUrl)) {
		throw new TypeError('issueCode needs { clientId, callbackUrl }');
	}
	const code = crypto.randomBytes(18).toString('base64url');
	state.codes.set(code, {
		clientId: grant.clientId,
		callbackUrl: grant.callbackUrl,
		expiresAt: Date.now() + state.codeTtlMs,
	});
	return code;
}

/** @param {unknown} ms @param {string} what @returns {number} */
function checkMs(ms, what) {
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
		throw new TypeError(`${what} must be a number of ms >= 0`);
	return ms;
}

module.exports = { EXAMPLE, createState, resetState, issueCode, checkMs };

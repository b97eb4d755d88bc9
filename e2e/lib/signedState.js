'use strict';
/**
 * The signed state as the e2e checks it from outside (see lib/security/state.ts):
 * `n8nis1.<base64url JSON payload>.<base64url HMAC-SHA256>`, key = HMAC(clientSecret, purpose).
 */
const crypto = require('node:crypto');

const PREFIX = 'n8nis1.';
const SIGNING_PURPOSE = 'n8n-nodes-infusionsoft-crm/state/v1';

function parts(state) {
	if (typeof state !== 'string' || !state.startsWith(PREFIX))
		throw new Error(`not a signed state: ${String(state).slice(0, 40)}`);
	const [payload, signature, ...rest] = state.slice(PREFIX.length).split('.');
	if (!payload || !signature || rest.length)
		throw new Error('a signed state has a payload and a signature');
	return { payload, signature };
}

/** The payload { a, t, e, n, c } (app ID, issued, expires, nonce, context). */
function decodeState(state) {
	return JSON.parse(Buffer.from(parts(state).payload, 'base64url').toString('utf8'));
}

/** True when the signature is the HMAC this client secret makes. */
function signatureValid(state, clientSecret) {
	const { payload, signature } = parts(state);
	const key = crypto.createHmac('sha256', clientSecret).update(SIGNING_PURPOSE).digest();
	const expected = crypto
		.createHmac('sha256', key)
		.update(PREFIX + payload)
		.digest();
	const given = Buffer.from(signature, 'base64url');
	return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** The same state with another context: the signature no longer fits (a forgery). */
function forgeContext(state, context) {
	const { signature } = parts(state);
	const payload = { ...decodeState(state), c: context };
	return `${PREFIX}${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

module.exports = { decodeState, signatureValid, forgeContext };

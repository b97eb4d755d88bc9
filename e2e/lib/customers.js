'use strict';
/**
 * Customers connected in a running stand-in (require('../sandbox')), as the e2e suites that USE a
 * connection need them: instances made through its platform API with codes from its fake
 * Infusionsoft, records seeded and read through its control API, hub calls made as the node makes
 * them, and the check that no token or account secret reached what n8n printed.
 */
const assert = require('node:assert/strict');

const { EXAMPLE, ceAuthorization, instanceConfiguration } = require('./credentials');

const CE_AUTH = ceAuthorization();

/** A JSON call; rejects on a non-2xx answer with its body. */
async function call(url, { method = 'GET', headers = {}, body } = {}) {
	const res = await fetch(url, {
		method,
		headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await res.json().catch(() => undefined);
	if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(json)}`);
	return json;
}

/** A connected customer: an instance made through the platform API with a code of the fake Infusionsoft. */
async function connect(sb, element, name, tags) {
	const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const configuration = instanceConfiguration({ element, encryptedKey: '' });
	const instance = await call(`${sb.apiRoot}/instances`, {
		method: 'POST',
		headers: { authorization: CE_AUTH },
		body: { element: { key: element }, providerData: { code }, configuration, tags, name },
	});
	return { id: instance.id, name, element, token: instance.token };
}

const control = (sb, route, body) =>
	call(`${sb.url}/__sandbox${route}`, { method: body === undefined ? 'GET' : 'POST', body });
const seed = async (sb, instance, object, records) =>
	(await control(sb, `/instances/${instance.id}/records/${encodeURIComponent(object)}`, records))
		.records;
const stored = (sb, instance, object) =>
	control(sb, `/instances/${instance.id}/records/${encodeURIComponent(object)}`);
const setState = (sb, instance, state) => control(sb, `/instances/${instance.id}/state`, state);
/** A hub call as the node makes it: the instance's token in the Authorization header. */
const hub = (sb, instance, method, route, body) =>
	call(`${sb.apiRoot}/hubs/crm${route}`, {
		method,
		headers: { authorization: `${CE_AUTH}, Element ${instance.token}` },
		body,
	});

/** The hub calls the stand-in received since `from`. */
const hubCalls = (sb, from = 0) =>
	sb.requests.slice(from).filter((r) => r.path.includes('/hubs/crm/'));

/** Neither instance token nor account secret in what was printed; every hub call carried the token. */
function tokenOnlyInHeaders(sb, from, printed, instances) {
	for (const instance of instances)
		assert.ok(
			!printed.includes(instance.token),
			`the token of ${instance.name} is not in the output`,
		);
	for (const secret of [EXAMPLE.userSecret, EXAMPLE.organizationSecret])
		assert.ok(!printed.includes(secret), 'no account secret in the output');
	const calls = hubCalls(sb, from);
	assert.ok(calls.length > 0, 'hub calls were made');
	for (const r of calls) {
		const instance = instances.find(
			(i) => r.headers.authorization === `${CE_AUTH}, Element ${i.token}`,
		);
		assert.ok(
			instance,
			`${r.method} ${r.path} carried an instance token in its Authorization header`,
		);
	}
	return calls.length;
}

module.exports = {
	CE_AUTH,
	call,
	connect,
	control,
	seed,
	stored,
	setState,
	hub,
	hubCalls,
	tokenOnlyInHeaders,
};

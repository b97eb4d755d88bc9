'use strict';
/**
 * n8n's REST API (the editor's, /rest): the one copy of the calls `npm start`, the screenshots,
 * the e2e suites and the selftest make. The same calls on n8n 1.x and 2.x.
 *
 * Sign in first: setupOwner() (a fresh n8n) or login() return { user, cookie, headers }; send
 * those `headers` (cookie + browser-id: n8n binds the n8n-auth cookie to the browser-id header
 * sent at login) with every later call.
 */
const path = require('node:path');
const { runtimePaths } = require('./n8n');
const { sleep } = require('./processes');

/** The owner the e2e suites, the selftest and the screenshots create. */
const DEFAULT_OWNER = {
	email: 'owner@example.com',
	password: 'E2eOwner-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};
/** The owner `npm start` creates and prints; the walkthrough signs in as it. */
const DEMO_OWNER = {
	email: 'demo@example.com',
	password: 'Demo-Passw0rd',
	firstName: 'Demo',
	lastName: 'User',
};
const BROWSER_ID = 'n8n-e2e-browser';

/**
 * One call: rest(url, '/workflows/x', { method, body, headers }). Resolves { status, json, data,
 * headers } (data = json.data, headers = the response's). Rejects on a non-2xx answer
 * (`err.status`, `err.json`) unless `allowFailure`.
 */
async function rest(url, route, { method = 'GET', body, headers = {}, allowFailure = false } = {}) {
	const res = await fetch(`${url}/rest${route}`, {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	if (!res.ok && !allowFailure) {
		const e = new Error(`${method} ${url}/rest${route} -> ${res.status}: ${text.slice(0, 500)}`);
		e.status = res.status;
		e.json = json;
		throw e;
	}
	return { status: res.status, json, data: json?.data, headers: res.headers };
}

/* ------------------------------------------------------------------------------------------
 * Owner and session
 * ---------------------------------------------------------------------------------------- */

function session(res) {
	const all =
		typeof res.headers.getSetCookie === 'function'
			? res.headers.getSetCookie()
			: [res.headers.get('set-cookie')];
	const cookie = all
		.filter(Boolean)
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	return { user: res.data, cookie, headers: { cookie, 'browser-id': BROWSER_ID } };
}

/**
 * Create the instance owner (POST /rest/owner/setup) so the editor can be signed into.
 * Password rules: 8-64 chars, at least one number and one capital letter. Default: DEFAULT_OWNER.
 * Returns { user, cookie, headers }.
 */
async function setupOwner(url, owner = {}) {
	const body = { ...DEFAULT_OWNER, ...owner };
	return session(
		await rest(url, '/owner/setup', {
			method: 'POST',
			body,
			headers: { 'browser-id': BROWSER_ID },
		}),
	);
}

/**
 * Log in (POST /rest/login with { emailOrLdapLoginId, password } on 1.x and 2.x).
 * Returns { user, cookie, headers }.
 */
async function login(url, { email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password } = {}) {
	const body = { emailOrLdapLoginId: email, password };
	const s = session(
		await rest(url, '/login', { method: 'POST', body, headers: { 'browser-id': BROWSER_ID } }),
	);
	if (!s.cookie) throw new Error('login: no n8n-auth cookie in the response');
	return s;
}

/** What the editor loads at start: /types/nodes.json or /types/credentials.json, as text. */
async function editorTypes(url, headers, kind) {
	const res = await fetch(`${url}/types/${kind}.json`, { headers });
	if (!res.ok) throw new Error(`GET /types/${kind}.json -> ${res.status}`);
	return res.text();
}

/* ------------------------------------------------------------------------------------------
 * Workflows
 * ---------------------------------------------------------------------------------------- */

async function getWorkflow(url, headers, id) {
	return (await rest(url, `/workflows/${encodeURIComponent(id)}`, { headers })).data;
}

/**
 * Activate (2.x: publish) a workflow so its triggers listen: POST /rest/workflows/:id/activate
 * with the current versionId (n8n 1.123 and 2.x). Returns the workflow; no-op when active.
 */
async function activateWorkflow(url, headers, id) {
	const wf = await getWorkflow(url, headers, id);
	if (wf.active) return wf;
	const { data } = await rest(url, `/workflows/${encodeURIComponent(id)}/activate`, {
		method: 'POST',
		headers,
		body: { versionId: wf.versionId },
	});
	if (!data?.active)
		throw new Error(
			`workflow ${id} is still inactive after activation: ${JSON.stringify(data).slice(0, 300)}`,
		);
	return data;
}

async function deactivateWorkflow(url, headers, id) {
	const wf = await getWorkflow(url, headers, id);
	if (!wf.active) return wf;
	return (
		await rest(url, `/workflows/${encodeURIComponent(id)}/deactivate`, {
			method: 'POST',
			headers,
			body: {},
		})
	).data;
}

/**
 * Waits until n8n serves a production webhook: n8n 2.x activates (publishes) through an outbox,
 * so POST .../activate answers before the webhook is registered (404 "not registered" meanwhile).
 * Probes with a bare GET, which the OAuth Callback Trigger answers 400 without starting a run.
 * Returns the first status that is not 404.
 */
async function waitForWebhook(url, webhookPath, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await fetch(`${url}/webhook/${webhookPath}`).then(
			(r) => r.status,
			() => 0,
		);
		if (status !== 404 && status !== 0) return status;
		if (Date.now() > deadline)
			throw new Error(
				`the production webhook ${webhookPath} was not registered within ${timeoutMs} ms`,
			);
		await sleep(200);
	}
}

/* ------------------------------------------------------------------------------------------
 * Credentials
 * ---------------------------------------------------------------------------------------- */

/** The credentials the signed-in user sees: [{ id, name, type, ... }]. */
async function listCredentials(url, headers) {
	return (await rest(url, '/credentials?includeScopes=true', { headers })).data;
}

/**
 * The editor's credential test (the Test button): POST /rest/credentials/test with
 * { credentials: { id, name, type, data } }; `data` fields given replace the stored ones for
 * this test only. Resolves { status: 'OK' | 'Error', message }.
 */
async function testCredential(url, headers, credential) {
	const { data } = await rest(url, '/credentials/test', {
		method: 'POST',
		headers,
		body: { credentials: credential },
	});
	return data;
}

/**
 * Saves a credential's fields as the editor's Save does: PATCH /rest/credentials/:id with
 * { name, type, data } (1.x and 2.x). `data` replaces the stored fields. Returns the credential.
 */
async function updateCredential(url, headers, { id, name, type, data }) {
	return (
		await rest(url, `/credentials/${encodeURIComponent(id)}`, {
			method: 'PATCH',
			headers,
			body: { name, type, data },
		})
	).data;
}

/* ------------------------------------------------------------------------------------------
 * Executions
 * ---------------------------------------------------------------------------------------- */

/** Saved executions of a workflow, newest first: [{ id, status, mode, ... }]. */
async function listExecutions(url, headers, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { data } = await rest(url, `/executions?filter=${filter}&limit=50`, { headers });
	const results = Array.isArray(data) ? data : data.results;
	return [...results].sort((a, b) => Number(b.id) - Number(a.id));
}

/** Waits for a finished execution of the workflow that is not in `seenIds`. */
async function waitForNewExecution(url, headers, workflowId, seenIds, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await listExecutions(url, headers, workflowId)).filter(
			(e) => !seenIds.includes(e.id) && !['new', 'running', 'waiting'].includes(e.status),
		);
		if (fresh.length > 0) return fresh[0];
		if (Date.now() > deadline)
			throw new Error(`no new finished execution of ${workflowId} within ${timeoutMs} ms`);
		await sleep(300);
	}
}

/**
 * An execution's run data: { status, run: { data }, error } (n8n stores it "flatted"; both
 * versions; parsed with the flavor's own copy of flatted).
 */
async function executionRun(url, headers, flavor, id) {
	const { data } = await rest(url, `/executions/${id}`, { headers });
	const flatted = require(path.join(runtimePaths(flavor).dir, 'node_modules', 'flatted'));
	const parsed = typeof data.data === 'string' ? flatted.parse(data.data) : data.data;
	return { status: data.status, run: { data: parsed }, error: parsed?.resultData?.error };
}

module.exports = {
	DEFAULT_OWNER,
	DEMO_OWNER,
	rest,
	setupOwner,
	login,
	editorTypes,
	getWorkflow,
	activateWorkflow,
	deactivateWorkflow,
	waitForWebhook,
	listCredentials,
	testCredential,
	updateCredential,
	listExecutions,
	waitForNewExecution,
	executionRun,
};

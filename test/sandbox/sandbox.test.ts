import {
	afterAll,
	afterEach,
	beforeAll,
	beforeEach,
	describe,
	expect,
	it,
	jest,
} from '@jest/globals';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { EXAMPLE, startSandbox } from '../../sandbox';
import type { Sandbox, SandboxFault, SandboxInstance } from '../../sandbox';

const AUTH = `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());
afterEach(() => jest.restoreAllMocks());

interface CallOptions {
	body?: unknown;
	raw?: string;
	auth?: string | null;
	headers?: Record<string, string>;
	base?: string;
	redirect?: 'follow' | 'manual' | 'error';
	signal?: AbortSignal;
}

interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

/** A platform API call (under the API root) with the example account's header by default. */
async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...options.headers };
	const auth = options.auth === undefined ? AUTH : options.auth;
	if (auth !== null) headers.authorization = auth;
	let body: string | undefined = options.raw;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] = headers['content-type'] ?? 'application/json';
	}
	const response = await fetch((options.base ?? sb.apiRoot) + path, {
		method,
		headers,
		body,
		redirect: options.redirect,
		signal: options.signal,
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

const control = (method: string, path: string, options: CallOptions = {}) =>
	call(method, path, { ...options, base: `${sb.url}/__sandbox`, auth: null });

function configuration(overrides: Record<string, unknown> = {}) {
	return {
		'oauth.callback.url': EXAMPLE.callbackUrl,
		'oauth.api.key': EXAMPLE.clientId,
		'oauth.api.secret': EXAMPLE.clientSecret,
		'infusionsoft.server': EXAMPLE.server,
		'infusionsoft.private.key': EXAMPLE.encryptedKey,
		...overrides,
	};
}

function instanceBody(
	code: string,
	overrides: { name?: string; tags?: string[]; configuration?: Record<string, unknown> } = {},
) {
	return {
		element: { key: 'infusionsoftcrm' },
		providerData: { code },
		configuration: configuration(overrides.configuration),
		tags: overrides.tags ?? ['Docs'],
		name: overrides.name ?? 'API Instance',
	};
}

const exampleCode = () =>
	sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });

/** Creates an instance through the API; returns the answered (masked) instance. */
async function provision(
	overrides: { name?: string; tags?: string[]; configuration?: Record<string, unknown> } = {},
) {
	const response = await call('POST', '/instances', {
		body: instanceBody(exampleCode(), overrides),
	});
	expect(response.status).toBe(200);
	return response.json;
}

function expectPlatformError(response: CallResult, status: number, message?: RegExp) {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	expect(response.json.requestId).toMatch(UUID);
	expect(typeof response.json.message).toBe('string');
	if (message) expect(response.json.message).toMatch(message);
}

const stored = (id: number): SandboxInstance => {
	const instance = sb.instances.get(id);
	if (!instance) throw new Error(`instance ${id} is not stored`);
	return instance;
};

interface RawResponse {
	/** Everything received, byte for byte. */
	raw: Buffer;
	status: number;
	/** Lower-case names; a repeated header keeps its last value. */
	headers: Record<string, string>;
	body: Buffer;
	/** The body is as long as content-length said. */
	complete: boolean;
}

/**
 * One request over a bare TCP socket with `connection: close`: shows the answer byte for byte
 * and a body cut short (fetch hides both).
 */
function rawCall(
	method: string,
	path: string,
	options: {
		body?: unknown;
		auth?: string | null;
		/** hang up once this many body bytes came */ abortAfterBytes?: number;
	} = {},
): Promise<RawResponse> {
	const url = new URL(sb.apiRoot + path);
	const payload = options.body === undefined ? '' : JSON.stringify(options.body);
	const auth = options.auth === undefined ? AUTH : options.auth;
	const lines = [
		`${method} ${url.pathname}${url.search} HTTP/1.1`,
		`host: ${url.host}`,
		'connection: close',
	];
	if (auth !== null) lines.push(`authorization: ${auth}`);
	if (payload)
		lines.push('content-type: application/json', `content-length: ${Buffer.byteLength(payload)}`);
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		const socket = net.connect(Number(url.port), '127.0.0.1', () =>
			socket.write(`${lines.join('\r\n')}\r\n\r\n${payload}`),
		);
		socket.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			const received = Buffer.concat(chunks);
			const end = received.indexOf('\r\n\r\n');
			if (
				options.abortAfterBytes !== undefined &&
				end >= 0 &&
				received.length - end - 4 >= options.abortAfterBytes
			)
				socket.destroy();
		});
		socket.on('error', () => undefined); // a reset shows as a short body
		socket.on('close', () => {
			const raw = Buffer.concat(chunks);
			const end = raw.indexOf('\r\n\r\n');
			const [statusLine, ...headerLines] = raw
				.subarray(0, end < 0 ? raw.length : end)
				.toString('latin1')
				.split('\r\n');
			const headers: Record<string, string> = {};
			for (const line of headerLines) {
				const colon = line.indexOf(':');
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			const body = end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
			const length = headers['content-length'];
			resolve({
				raw,
				status: Number(statusLine.split(' ')[1]),
				headers,
				body,
				complete: end >= 0 && (length === undefined || body.length === Number(length)),
			});
		});
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds; a condition that never comes is the test's timeout. */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await sleep(5);
}

/**
 * The durations of the timers started from now on (the sandbox's latency, delay and drip
 * timers among them): what the stand-in decided to wait, read instead of the wall clock.
 */
function timersStarted(): () => number[] {
	const spy = jest.spyOn(globalThis, 'setTimeout');
	return () => spy.mock.calls.map(([, ms]) => Number(ms));
}

/** How many timers the process has pending (the sandbox's drip, delay and latency timers among them). */

describe('startSandbox', () => {
	it('listens on 127.0.0.1 and exposes url and apiRoot', () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.apiRoot).toBe(`${sb.url}/elements/api-v2`);
	});

	it('has base64-like example secrets with / + =', () => {
		for (const secret of [EXAMPLE.userSecret, EXAMPLE.organizationSecret, EXAMPLE.clientSecret]) {
			expect(secret).toMatch(/\//);
			expect(secret).toMatch(/\+/);
			expect(secret).toMatch(/=$/);
		}
	});

	it('runs several sandboxes side by side with separate state', async () => {
		const other = await startSandbox({
			accounts: [{ userSecret: 'a/b+c=', organizationSecret: 'd/e+f=' }],
		});
		try {
			const mine = await provision();
			const response = await call('GET', '/instances', {
				base: other.apiRoot,
				auth: 'User a/b+c=, Organization d/e+f=',
			});
			expect(response.status).toBe(404);
			expect(other.instances.size).toBe(0);
			expect(sb.instances.has(mine.id)).toBe(true);
			expect(other.url).not.toBe(sb.url);
		} finally {
			await other.close();
		}
	});

	// A close() that waited for its clients would wait ten minutes here: the test's timeout.
	it('close() ends keep-alive connections and answers still held, without waiting for them', async () => {
		const other = await startSandbox();
		const response = await fetch(`${other.url}/__sandbox/health`);
		expect(response.status).toBe(200);
		await response.text();
		other.fail({ path: '/elements', delayMs: 600_000 });
		const held = fetch(`${other.apiRoot}/elements/191`, { headers: { authorization: AUTH } });
		await until(() => other.pendingTimers() === 1);
		await other.close();
		await expect(held).rejects.toThrow();
		expect(other.pendingTimers()).toBe(0);
		await expect(fetch(`${other.url}/__sandbox/health`)).rejects.toThrow();
	});

	it('has one entry point; the internal sandbox/server still exports the same names', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const entry = require('../../sandbox');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const legacy = require('../../sandbox/server');
		expect(Object.keys(entry).sort()).toEqual(['EXAMPLE', 'startSandbox']);
		expect(legacy.startSandbox).toBe(entry.startSandbox);
		expect(legacy.EXAMPLE).toBe(entry.EXAMPLE);
	});

	it('rejects malformed options', async () => {
		await expect(
			startSandbox({ accounts: [{ userSecret: '', organizationSecret: 'x' }] }),
		).rejects.toThrow(TypeError);
		await expect(startSandbox({ pageSizeDefault: 0 })).rejects.toThrow(TypeError);
		expect(() => sb.setLatency(-1)).toThrow(TypeError);
	});
});

describe('authentication', () => {
	it('401 without the Authorization header, with a JSON {requestId, message} body', async () => {
		expectPlatformError(
			await call('GET', '/elements/infusionsoftcrm', { auth: null }),
			401,
			/Authorization/,
		);
	});

	it('401 with wrong secrets or a malformed header', async () => {
		expectPlatformError(
			await call('GET', '/elements/infusionsoftcrm', {
				auth: `User nope, Organization ${EXAMPLE.organizationSecret}`,
			}),
			401,
		);
		expectPlatformError(
			await call('GET', '/elements/infusionsoftcrm', { auth: `User ${EXAMPLE.userSecret}` }),
			401,
		);
		expectPlatformError(
			await call('GET', '/elements/infusionsoftcrm', { auth: `Bearer ${EXAMPLE.userSecret}` }),
			401,
		);
	});

	it('secrets are compared raw: a URL-encoded secret is refused', async () => {
		const encoded = `User ${encodeURIComponent(EXAMPLE.userSecret)}, Organization ${encodeURIComponent(EXAMPLE.organizationSecret)}`;
		expectPlatformError(await call('GET', '/elements/infusionsoftcrm', { auth: encoded }), 401);
	});

	it('is tolerant of spaces', async () => {
		const auth = `  User   ${EXAMPLE.userSecret}  ,Organization ${EXAMPLE.organizationSecret}   `;
		expect((await call('GET', '/elements/infusionsoftcrm', { auth })).status).toBe(200);
	});

	it('accepts a valid Element token and refuses an unknown or deleted one', async () => {
		const instance = await provision();
		expect(
			(await call('GET', '/instances', { auth: `${AUTH}, Element ${instance.token}` })).status,
		).toBe(200);
		expectPlatformError(await call('GET', '/instances', { auth: `${AUTH}, Element nope` }), 401);
		await call('DELETE', `/instances/${instance.id}`);
		expectPlatformError(
			await call('GET', '/elements/infusionsoftcrm', {
				auth: `${AUTH}, Element ${instance.token}`,
			}),
			401,
		);
	});

	it('shows instances only to the account that created them', async () => {
		const two = await startSandbox({
			accounts: [EXAMPLE, { userSecret: 'other/User+1=', organizationSecret: 'other/Org+1=' }],
		});
		try {
			const code = two.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
			const created = await call('POST', '/instances', {
				base: two.apiRoot,
				body: instanceBody(code),
			});
			expect(created.status).toBe(200);
			const otherAuth = 'User other/User+1=, Organization other/Org+1=';
			expect(
				(await call('GET', `/instances/${created.json.id}`, { base: two.apiRoot, auth: otherAuth }))
					.status,
			).toBe(404);
			expect((await call('GET', '/instances', { base: two.apiRoot, auth: otherAuth })).status).toBe(
				404,
			);
			expect(
				(
					await call('DELETE', `/instances/${created.json.id}`, {
						base: two.apiRoot,
						auth: otherAuth,
					})
				).status,
			).toBe(404);
			expect((await call('GET', '/instances', { base: two.apiRoot })).json).toHaveLength(1);
		} finally {
			await two.close();
		}
	});
});

describe('routing and elements', () => {
	it('GET /elements/infusionsoftcrm and /elements/191 answer the element with no instances', async () => {
		for (const keyOrId of ['infusionsoftcrm', '191']) {
			const response = await call('GET', `/elements/${keyOrId}`);
			expect(response.status).toBe(200);
			expect(response.json).toMatchObject({
				id: 191,
				key: 'infusionsoftcrm',
				name: 'Infusionsoft',
				hub: 'crm',
			});
			expect(response.json.configuration.map((entry: { key: string }) => entry.key)).toContain(
				'infusionsoft.server',
			);
		}
	});

	it('404 for an unknown element, an unknown route; 405 for a wrong method', async () => {
		expectPlatformError(await call('GET', '/elements/salesforce'), 404, /salesforce/);
		expectPlatformError(await call('GET', '/nothing/here'), 404);
		const wrongMethod = await call('DELETE', '/elements/infusionsoftcrm');
		expectPlatformError(wrongMethod, 405);
		expect(wrongMethod.headers.get('allow')).toBe('GET');
		expectPlatformError(await call('PATCH', '/instances'), 405);
	});

	it('404 JSON outside the API root', async () => {
		const response = await call('GET', '/elsewhere', { base: sb.url });
		expectPlatformError(response, 404);
	});

	it('survives bad requests', async () => {
		expect((await call('GET', '/instances/%E0%A4%A', {})).status).toBe(400);
		expect(
			(
				await call('POST', '/instances', {
					raw: 'x'.repeat(1024 * 1024 + 10),
					headers: { 'content-type': 'application/json' },
				})
			).status,
		).toBe(413);
		expect((await control('GET', '/health')).status).toBe(200);
	});
});

describe('OAuth URL', () => {
	const expected = (state?: string) =>
		`${sb.url}/app/oauth/authorize?scope=full&response_type=code&redirect_uri=${encodeURIComponent(EXAMPLE.callbackUrl)}` +
		`${state === undefined ? '' : `&state=${encodeURIComponent(state)}`}&client_id=${EXAMPLE.clientId}`;

	it('GET builds the consent URL with state', async () => {
		const query = new URLSearchParams({
			apiKey: EXAMPLE.clientId,
			apiSecret: EXAMPLE.clientSecret,
			callbackUrl: EXAMPLE.callbackUrl,
			state: 'a b/c=d',
		});
		const response = await call('GET', `/elements/infusionsoftcrm/oauth/url?${query}`);
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ oauthUrl: expected('a b/c=d'), element: 'infusionsoftcrm' });
	});

	it('GET by element id, without state: no state in the URL', async () => {
		const query = new URLSearchParams({
			apiKey: EXAMPLE.clientId,
			apiSecret: 'anything',
			callbackUrl: EXAMPLE.callbackUrl,
		});
		const response = await call('GET', `/elements/191/oauth/url?${query}`);
		expect(response.json.oauthUrl).toBe(expected());
		expect(response.json.oauthUrl).not.toMatch(/state=/);
	});

	it('POST takes the same fields as JSON', async () => {
		const response = await call('POST', '/elements/infusionsoftcrm/oauth/url', {
			body: {
				apiKey: EXAMPLE.clientId,
				apiSecret: EXAMPLE.clientSecret,
				callbackUrl: EXAMPLE.callbackUrl,
				state: 'xyz',
			},
		});
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ oauthUrl: expected('xyz'), element: 'infusionsoftcrm' });
		expect(sb.requests[sb.requests.length - 1].body).toMatchObject({
			apiSecret: EXAMPLE.clientSecret,
		});
	});

	it('400 when apiKey, apiSecret or callbackUrl is missing; POST needs valid JSON', async () => {
		const all = {
			apiKey: EXAMPLE.clientId,
			apiSecret: EXAMPLE.clientSecret,
			callbackUrl: EXAMPLE.callbackUrl,
		};
		for (const missing of Object.keys(all)) {
			const fields = Object.fromEntries(Object.entries(all).filter(([key]) => key !== missing));
			expectPlatformError(
				await call('GET', `/elements/infusionsoftcrm/oauth/url?${new URLSearchParams(fields)}`),
				400,
				new RegExp(missing),
			);
			expectPlatformError(
				await call('POST', '/elements/infusionsoftcrm/oauth/url', { body: fields }),
				400,
				new RegExp(missing),
			);
		}
		expectPlatformError(
			await call('POST', '/elements/infusionsoftcrm/oauth/url', {
				raw: '{nope',
				headers: { 'content-type': 'application/json' },
			}),
			400,
		);
		expectPlatformError(
			await call('GET', '/elements/nope/oauth/url?apiKey=a&apiSecret=b&callbackUrl=c'),
			404,
		);
	});

	it('remembers nothing: no instance and no code comes from it', async () => {
		await call(
			'GET',
			`/elements/infusionsoftcrm/oauth/url?${new URLSearchParams({ apiKey: 'k', apiSecret: 's', callbackUrl: 'https://x.test/cb' })}`,
		);
		expect(sb.instances.size).toBe(0);
	});
});

describe('consent page', () => {
	const decodeHtml = (text: string) =>
		text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
	const linkOf = (html: string, id: string) => {
		const match = new RegExp(`id="${id}"[^>]*href="([^"]+)"`).exec(html);
		if (!match) throw new Error(`no ${id} link`);
		return sb.url + decodeHtml(match[1]);
	};

	async function oauthUrl(callbackUrl: string, state?: string) {
		const fields: Record<string, string> = {
			apiKey: EXAMPLE.clientId,
			apiSecret: EXAMPLE.clientSecret,
			callbackUrl,
		};
		if (state !== undefined) fields.state = state;
		return (await call('POST', '/elements/infusionsoftcrm/oauth/url', { body: fields })).json
			.oauthUrl as string;
	}

	it('shows an HTML page naming the app, with Allow and Deny', async () => {
		const response = await fetch(await oauthUrl(EXAMPLE.callbackUrl, 's1'));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/text\/html/);
		const html = await response.text();
		expect(html).toContain('Infusionsoft (local stand-in)');
		expect(html).toMatch(/n8n \(example app\)<\/strong> wants access to your account/);
		expect(linkOf(html, 'allow')).toMatch(/decision=allow/);
		expect(linkOf(html, 'deny')).toMatch(/decision=deny/);
	});

	it('400 HTML for an unknown client_id or a missing redirect_uri', async () => {
		const unknown = await fetch(
			`${sb.url}/app/oauth/authorize?client_id=nope&redirect_uri=https%3A%2F%2Fx.test&response_type=code`,
		);
		expect(unknown.status).toBe(400);
		expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
		expect(await unknown.text()).toMatch(/Unknown client_id/);
		const noRedirect = await fetch(
			`${sb.url}/app/oauth/authorize?client_id=${EXAMPLE.clientId}&response_type=code`,
		);
		expect(noRedirect.status).toBe(400);
	});

	it('Allow redirects with a code and the state; the code creates an instance', async () => {
		const html = await (await fetch(await oauthUrl(EXAMPLE.callbackUrl, 'st/ate+1'))).text();
		const decision = await fetch(linkOf(html, 'allow'), { redirect: 'manual' });
		expect(decision.status).toBe(302);
		const location = new URL(decision.headers.get('location') ?? '');
		expect(location.origin + location.pathname).toBe(EXAMPLE.callbackUrl);
		expect(location.searchParams.get('state')).toBe('st/ate+1');
		const code = location.searchParams.get('code') ?? '';
		expect(code).not.toBe('');
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(200);
	});

	it('Allow without state leaves it out, and appends to an existing query with &', async () => {
		const callbackUrl = 'https://app.example.test/cb?tenant=7';
		const html = await (await fetch(await oauthUrl(callbackUrl))).text();
		const decision = await fetch(linkOf(html, 'allow'), { redirect: 'manual' });
		const location = decision.headers.get('location') ?? '';
		expect(location).toMatch(/^https:\/\/app\.example\.test\/cb\?tenant=7&code=[\w-]+$/);
	});

	it('Deny redirects with error=access_denied and the state', async () => {
		const html = await (await fetch(await oauthUrl(EXAMPLE.callbackUrl, 'abc'))).text();
		const decision = await fetch(linkOf(html, 'deny'), { redirect: 'manual' });
		expect(decision.status).toBe(302);
		expect(decision.headers.get('location')).toBe(
			`${EXAMPLE.callbackUrl}?error=access_denied&error_description=The+user+denied+access&state=abc`,
		);
	});

	it('records consent requests with their path', async () => {
		await fetch(await oauthUrl(EXAMPLE.callbackUrl));
		const last = sb.requests[sb.requests.length - 1];
		expect(last.path).toBe('/app/oauth/authorize');
		expect(last.query.client_id).toBe(EXAMPLE.clientId);
	});
});

describe('POST /instances', () => {
	it('creates the instance like the seed example, secrets masked', async () => {
		const before = Date.now();
		const response = await call('POST', '/instances', {
			body: instanceBody(exampleCode(), {
				configuration: { 'custom.password': 'pw', 'event.notification.enabled': 'false' },
			}),
		});
		expect(response.status).toBe(200);
		const instance = response.json;
		expect(instance).toMatchObject({
			id: 12345,
			name: 'API Instance',
			element: { id: 191, key: 'infusionsoftcrm', name: 'Infusionsoft', hub: 'crm' },
			elementId: 191,
			tags: ['Docs'],
			provisionInteractions: [],
			valid: true,
			disabled: false,
			eventsEnabled: false,
			traceLoggingEnabled: false,
			cachingEnabled: false,
			externalAuthentication: 'none',
			user: { id: expect.any(Number) },
		});
		expect(Date.parse(instance.createdDate)).toBeGreaterThanOrEqual(
			Math.floor(before / 1000) * 1000,
		);
		expect(instance.token).toHaveLength(44);
		expect(instance.token).toMatch(/^[A-Za-z0-9+/=]+$/);
		expect(instance.token).toContain('/');
		expect(instance.token).toContain('+');
		expect(instance.configuration).toEqual({
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': '********',
			'infusionsoft.server': EXAMPLE.server,
			'infusionsoft.private.key': '********',
			'custom.password': '********',
			'event.notification.enabled': 'false',
		});
		expect(stored(12345).configuration['oauth.api.secret']).toBe(EXAMPLE.clientSecret);
		expect(stored(12345).configuration['infusionsoft.private.key']).toBe(EXAMPLE.encryptedKey);
		expect(stored(12345).token).toBe(instance.token);
	});

	it('every POST creates a new instance, even with the same name', async () => {
		const one = await provision({ name: 'Same' });
		const two = await provision({ name: 'Same' });
		expect(two.id).toBe(one.id + 1);
		expect(two.token).not.toBe(one.token);
		expect(sb.instances.size).toBe(2);
	});

	it('a code is single-use', async () => {
		const code = exampleCode();
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(200);
		const again = await call('POST', '/instances', { body: instanceBody(code) });
		expectPlatformError(again, 400, /Failed to create instance/);
		expect(JSON.parse(again.json.providerMessage)).toEqual({
			error: 'invalid_grant',
			error_description: 'Invalid authorization code',
		});
		expect(sb.instances.size).toBe(1);
	});

	it('400 invalid_grant for an unknown code or a code issued to another app', async () => {
		expect(
			JSON.parse(
				(await call('POST', '/instances', { body: instanceBody('made-up') })).json.providerMessage,
			).error,
		).toBe('invalid_grant');
		const other = await startSandbox({
			apps: [EXAMPLE, { clientId: 'other-app', clientSecret: 'other/secret=' }],
		});
		try {
			const code = other.issueCode({ clientId: 'other-app', callbackUrl: EXAMPLE.callbackUrl });
			const response = await call('POST', '/instances', {
				base: other.apiRoot,
				body: instanceBody(code),
			});
			expect(response.status).toBe(400);
			expect(JSON.parse(response.json.providerMessage).error).toBe('invalid_grant');
		} finally {
			await other.close();
		}
	});

	it('400 redirect mismatch when the callback URL differs in any way', async () => {
		const code = exampleCode();
		const response = await call('POST', '/instances', {
			body: instanceBody(code, {
				configuration: { 'oauth.callback.url': `${EXAMPLE.callbackUrl}/` },
			}),
		});
		expectPlatformError(response, 400, /Failed to create instance/);
		expect(JSON.parse(response.json.providerMessage)).toEqual({
			error: 'invalid_grant',
			error_description: 'Redirect URI mismatch',
		});
		// a failed attempt does not consume the code
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(200);
	});

	it('400 invalid_client for a wrong client secret or unknown client id', async () => {
		const code = exampleCode();
		for (const config of [{ 'oauth.api.secret': 'wrong' }, { 'oauth.api.key': 'unknown-app' }]) {
			const response = await call('POST', '/instances', {
				body: instanceBody(code, { configuration: config }),
			});
			expectPlatformError(response, 400, /Failed to create instance/);
			expect(JSON.parse(response.json.providerMessage).error).toBe('invalid_client');
		}
		expect(sb.instances.size).toBe(0);
	});

	it('400 for an expired code', async () => {
		const short = await startSandbox({ codeTtlMs: 20 });
		try {
			const code = short.issueCode({
				clientId: EXAMPLE.clientId,
				callbackUrl: EXAMPLE.callbackUrl,
			});
			await new Promise((resolve) => setTimeout(resolve, 60));
			const response = await call('POST', '/instances', {
				base: short.apiRoot,
				body: instanceBody(code),
			});
			expect(response.status).toBe(400);
			expect(JSON.parse(response.json.providerMessage).error).toBe('invalid_grant');
		} finally {
			await short.close();
		}
	});

	it('400 naming a missing required configuration key; the code is kept', async () => {
		const code = exampleCode();
		for (const key of [
			'oauth.callback.url',
			'oauth.api.key',
			'oauth.api.secret',
			'infusionsoft.server',
			'infusionsoft.private.key',
		]) {
			const body = instanceBody(code);
			delete (body.configuration as Record<string, unknown>)[key];
			expectPlatformError(
				await call('POST', '/instances', { body }),
				400,
				new RegExp(key.replace(/\./g, '\\.')),
			);
		}
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(200);
	});

	it('accepts an empty encrypted key and a server with https:// and a trailing slash (stored as given)', async () => {
		const instance = await provision({
			configuration: {
				'infusionsoft.private.key': '',
				'infusionsoft.server': 'https://dt123.infusionsoft.com/',
			},
		});
		expect(stored(instance.id).configuration['infusionsoft.server']).toBe(
			'https://dt123.infusionsoft.com/',
		);
		expect(stored(instance.id).configuration['infusionsoft.private.key']).toBe('');
	});

	it('validates the body: JSON, content type, element, name, code', async () => {
		expectPlatformError(
			await call('POST', '/instances', {
				raw: '{"element":',
				headers: { 'content-type': 'application/json' },
			}),
			400,
			/JSON/,
		);
		expectPlatformError(
			await call('POST', '/instances', {
				raw: JSON.stringify(instanceBody(exampleCode())),
				headers: { 'content-type': 'text/plain' },
			}),
			415,
		);
		expectPlatformError(await call('POST', '/instances', { raw: '' }), 400);
		expectPlatformError(await call('POST', '/instances', { body: [1, 2] }), 400);
		expectPlatformError(
			await call('POST', '/instances', {
				body: { ...instanceBody(exampleCode()), element: { key: 'nope' } },
			}),
			404,
		);
		expectPlatformError(
			await call('POST', '/instances', {
				body: { ...instanceBody(exampleCode()), element: undefined },
			}),
			400,
			/element/,
		);
		expectPlatformError(
			await call('POST', '/instances', { body: { ...instanceBody(exampleCode()), name: '' } }),
			400,
			/name/,
		);
		expectPlatformError(
			await call('POST', '/instances', { body: { ...instanceBody(exampleCode()), tags: 'x' } }),
			400,
			/tags/,
		);
		expectPlatformError(
			await call('POST', '/instances', { body: { ...instanceBody(''), providerData: {} } }),
			400,
			/code/,
		);
		expect(sb.instances.size).toBe(0);
	});

	it('accepts the element by id', async () => {
		const response = await call('POST', '/instances', {
			body: { ...instanceBody(exampleCode()), element: { id: 191 } },
		});
		expect(response.status).toBe(200);
	});
});

describe('GET /instances', () => {
	it('404 "No instances found" when nothing matches, not []', async () => {
		const response = await call('GET', '/instances');
		expectPlatformError(response, 404);
		expect(response.json.message).toBe('No instances found');
	});

	it('lists instances masked, token included', async () => {
		const created = await provision();
		const response = await call('GET', '/instances?hydrate=true');
		expect(response.status).toBe(200);
		expect(response.json).toHaveLength(1);
		expect(response.json[0].token).toBe(created.token);
		expect(response.json[0].configuration['oauth.api.secret']).toBe('********');
		expect(response.headers.get('elements-next-page-token')).toBeNull();
	});

	it('filters by tags[] (repeatable), tags, and searchText (case-insensitive)', async () => {
		await provision({ name: 'Shop Alpha', tags: ['shop', 'eu'] });
		await provision({ name: 'Shop Beta', tags: ['shop'] });
		await provision({ name: 'Billing', tags: ['billing'] });
		const names = (response: CallResult) => response.json.map((i: { name: string }) => i.name);
		expect(names(await call('GET', '/instances?tags%5B%5D=eu'))).toEqual(['Shop Alpha']);
		expect(names(await call('GET', '/instances?tags[]=shop'))).toEqual(['Shop Alpha', 'Shop Beta']);
		expect(names(await call('GET', '/instances?tags[]=eu&tags[]=billing'))).toEqual([
			'Shop Alpha',
			'Billing',
		]);
		expect(names(await call('GET', '/instances?tags=billing'))).toEqual(['Billing']);
		expect(names(await call('GET', '/instances?searchText=sHoP'))).toEqual([
			'Shop Alpha',
			'Shop Beta',
		]);
		expect(names(await call('GET', '/instances?searchText=beta&tags[]=shop'))).toEqual([
			'Shop Beta',
		]);
		expect((await call('GET', '/instances?tags[]=none')).status).toBe(404);
		expect((await call('GET', '/instances?searchText=zzz')).status).toBe(404);
	});

	async function pages(pageSize: number) {
		const seen: number[][] = [];
		let token: string | null = null;
		let last: CallResult;
		do {
			const query: string = `pageSize=${pageSize}${token ? `&nextPage=${encodeURIComponent(token)}` : ''}`;
			last = await call('GET', `/instances?${query}`);
			if (last.status === 200) seen.push(last.json.map((i: { id: number }) => i.id));
			token = last.status === 200 ? last.headers.get('elements-next-page-token') : null;
		} while (token);
		return { seen, last };
	}

	it('pages with elements-next-page-token', async () => {
		for (let i = 0; i < 5; i++) await provision({ name: `n${i}` });
		const { seen, last } = await pages(2);
		expect(seen).toEqual([[12345, 12346], [12347, 12348], [12349]]);
		expect(last.status).toBe(200);
	});

	it('quirk: an exactly full last page still returns a token, and following it answers 404', async () => {
		for (let i = 0; i < 4; i++) await provision({ name: `n${i}` });
		const { seen, last } = await pages(2);
		expect(seen).toEqual([
			[12345, 12346],
			[12347, 12348],
		]);
		expect(last.status).toBe(404);
		expect(last.json.message).toBe('No instances found');
	});

	it('uses pageSizeDefault and rejects a bad pageSize or token', async () => {
		const small = await startSandbox({ pageSizeDefault: 1 });
		try {
			for (let i = 0; i < 2; i++) {
				const code = small.issueCode({
					clientId: EXAMPLE.clientId,
					callbackUrl: EXAMPLE.callbackUrl,
				});
				await call('POST', '/instances', { base: small.apiRoot, body: instanceBody(code) });
			}
			const first = await call('GET', '/instances', { base: small.apiRoot });
			expect(first.json).toHaveLength(1);
			expect(first.headers.get('elements-next-page-token')).not.toBeNull();
		} finally {
			await small.close();
		}
		await provision();
		expectPlatformError(await call('GET', '/instances?pageSize=abc'), 400, /pageSize/);
		expectPlatformError(await call('GET', '/instances?nextPage=garbage'), 400, /nextPage/);
	});
});

describe('one instance', () => {
	it('GET /instances/{id}: 200 masked; 404 unknown; 400 non-numeric', async () => {
		const created = await provision();
		const response = await call('GET', `/instances/${created.id}`);
		expect(response.status).toBe(200);
		expect(response.json).toEqual(created);
		expectPlatformError(await call('GET', '/instances/99999'), 404);
		expectPlatformError(await call('GET', '/instances/abc'), 400);
	});

	it('PUT replaces name, tags and configuration; ******** keeps a stored secret', async () => {
		const created = await provision({ configuration: { 'extra.option': 'x' } });
		const response = await call('PUT', `/instances/${created.id}`, {
			body: {
				name: 'Renamed',
				tags: ['new'],
				configuration: {
					...configuration(),
					'oauth.api.secret': '********',
					'infusionsoft.server': 'dt999.infusionsoft.com',
				},
			},
		});
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({
			id: created.id,
			name: 'Renamed',
			tags: ['new'],
			token: created.token,
		});
		const config = stored(created.id).configuration;
		expect(config['oauth.api.secret']).toBe(EXAMPLE.clientSecret);
		expect(config['infusionsoft.server']).toBe('dt999.infusionsoft.com');
		expect(config).not.toHaveProperty('extra.option');
	});

	it('PUT with providerData.code re-authenticates: same id, new token, valid again', async () => {
		const created = await provision();
		await control('POST', `/instances/${created.id}/state`, { body: { valid: false } });
		expect(stored(created.id).valid).toBe(false);
		const response = await call('PUT', `/instances/${created.id}?reAuthenticate=true`, {
			body: {
				providerData: { code: exampleCode() },
				configuration: { 'oauth.api.secret': EXAMPLE.clientSecret },
			},
		});
		expect(response.status).toBe(200);
		expect(response.json.id).toBe(created.id);
		expect(response.json.valid).toBe(true);
		expect(response.json.token).not.toBe(created.token);
		expect(response.json.token).toHaveLength(44);
		expect(sb.instances.size).toBe(1);
		expectPlatformError(
			await call('GET', '/instances', { auth: `${AUTH}, Element ${created.token}` }),
			401,
		);
	});

	it('PUT re-authentication validates the code like create and changes nothing on failure', async () => {
		const created = await provision();
		const used = await call('PUT', `/instances/${created.id}`, {
			body: { name: 'X', providerData: { code: 'bogus' } },
		});
		expectPlatformError(used, 400);
		expect(JSON.parse(used.json.providerMessage).error).toBe('invalid_grant');
		const wrongCallback = sb.issueCode({
			clientId: EXAMPLE.clientId,
			callbackUrl: 'https://elsewhere.test/cb',
		});
		const mismatch = await call('PUT', `/instances/${created.id}`, {
			body: { providerData: { code: wrongCallback } },
		});
		expect(JSON.parse(mismatch.json.providerMessage).error_description).toBe(
			'Redirect URI mismatch',
		);
		const wrongSecret = await call('PUT', `/instances/${created.id}`, {
			body: {
				providerData: { code: exampleCode() },
				configuration: { 'oauth.api.secret': 'wrong' },
			},
		});
		expect(JSON.parse(wrongSecret.json.providerMessage).error).toBe('invalid_client');
		expect(stored(created.id)).toMatchObject({ name: 'API Instance', token: created.token });
		expect(stored(created.id).configuration['oauth.api.secret']).toBe(EXAMPLE.clientSecret);
	});

	it('PUT ?reAuthenticate=false ignores the code; =true without a code is 400', async () => {
		const created = await provision();
		const ignored = await call('PUT', `/instances/${created.id}?reAuthenticate=false`, {
			body: { providerData: { code: 'bogus' } },
		});
		expect(ignored.status).toBe(200);
		expect(ignored.json.token).toBe(created.token);
		expectPlatformError(
			await call('PUT', `/instances/${created.id}?reAuthenticate=true`, { body: { name: 'x' } }),
			400,
			/code/,
		);
		expectPlatformError(
			await call('PUT', `/instances/${created.id}?reAuthenticate=maybe`, { body: { name: 'x' } }),
			400,
		);
	});

	it('PATCH replaces name and tags (not merged), merges configuration keys', async () => {
		const created = await provision({ tags: ['a', 'b'] });
		const response = await call('PATCH', `/instances/${created.id}`, {
			body: {
				tags: ['c'],
				configuration: { 'infusionsoft.server': 'dt7.infusionsoft.com', 'extra.option': 'y' },
			},
		});
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({ name: 'API Instance', tags: ['c'] });
		expect(stored(created.id).configuration).toMatchObject({
			'infusionsoft.server': 'dt7.infusionsoft.com',
			'extra.option': 'y',
			'oauth.api.secret': EXAMPLE.clientSecret,
		});
		const renamed = await call('PATCH', `/instances/${created.id}`, {
			body: { name: 'Only name' },
		});
		expect(renamed.json).toMatchObject({ name: 'Only name', tags: ['c'] });
		expectPlatformError(
			await call('PATCH', `/instances/${created.id}`, {
				body: { configuration: { 'oauth.api.key': '' } },
			}),
			400,
			/oauth\.api\.key/,
		);
	});

	it('DELETE answers 200, then GET answers 404', async () => {
		const created = await provision();
		const response = await call('DELETE', `/instances/${created.id}`);
		expect(response.status).toBe(200);
		expect(response.json).toEqual({});
		expectPlatformError(await call('GET', `/instances/${created.id}`), 404);
		expectPlatformError(await call('DELETE', `/instances/${created.id}`), 404);
		expect(sb.instances.size).toBe(0);
	});

	it('DELETE /enabled disables, PUT /enabled enables; both answer the instance', async () => {
		const created = await provision();
		const disabled = await call('DELETE', `/instances/${created.id}/enabled`);
		expect(disabled.status).toBe(200);
		expect(disabled.json).toMatchObject({ id: created.id, disabled: true });
		expect(stored(created.id).disabled).toBe(true);
		const enabled = await call('PUT', `/instances/${created.id}/enabled`);
		expect(enabled.json).toMatchObject({ id: created.id, disabled: false });
		expectPlatformError(await call('PUT', '/instances/424242/enabled'), 404);
	});

	it('GET /configuration lists the entries with secrets masked', async () => {
		const created = await provision();
		const response = await call('GET', `/instances/${created.id}/configuration`);
		expect(response.status).toBe(200);
		const byKey = Object.fromEntries(
			response.json.map((e: { key: string; propertyValue: unknown }) => [e.key, e.propertyValue]),
		);
		expect(byKey).toEqual({
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': '********',
			'infusionsoft.server': EXAMPLE.server,
			'infusionsoft.private.key': '********',
		});
		expectPlatformError(await call('GET', '/instances/1/configuration'), 404);
	});

	it('hub ping: 200 with a live token, 403 when disabled, 401 when the connection is dead', async () => {
		const created = await provision();
		const auth = `${AUTH}, Element ${created.token}`;
		expect((await call('GET', '/hubs/crm/ping', { auth })).status).toBe(200);
		expect((await call('GET', '/hubs/crm/ping')).status).toBe(401);
		await call('DELETE', `/instances/${created.id}/enabled`);
		expect((await call('GET', '/hubs/crm/ping', { auth })).status).toBe(403);
		await call('PUT', `/instances/${created.id}/enabled`);
		await control('POST', `/instances/${created.id}/state`, { body: { valid: false } });
		expect((await call('GET', '/hubs/crm/ping', { auth })).status).toBe(401);
	});
});

// The two Keap elements: infusionsoftcrm (the seeds) and infusionsoftrest (Keap REST, OAuth only)

const REST_ID = 6158;

function restConfiguration(overrides: Record<string, unknown> = {}) {
	return {
		'oauth.callback.url': EXAMPLE.callbackUrl,
		'oauth.api.key': EXAMPLE.clientId,
		'oauth.api.secret': EXAMPLE.clientSecret,
		...overrides,
	};
}

function restBody(
	code: string,
	overrides: { name?: string; tags?: string[]; configuration?: Record<string, unknown> } = {},
) {
	return {
		element: { key: 'infusionsoftrest' },
		providerData: { code },
		configuration: overrides.configuration ?? restConfiguration(),
		tags: overrides.tags ?? ['Keap'],
		name: overrides.name ?? 'Keap Instance',
	};
}

/** Creates an infusionsoftrest instance through the API; returns the answered (masked) instance. */
async function provisionRest(
	overrides: { name?: string; tags?: string[]; configuration?: Record<string, unknown> } = {},
) {
	const response = await call('POST', '/instances', { body: restBody(exampleCode(), overrides) });
	expect(response.status).toBe(200);
	return response.json;
}

const configKeys = (response: CallResult) =>
	response.json.configuration.map((entry: { key: string }) => entry.key);

describe('elements: infusionsoftcrm and infusionsoftrest', () => {
	it(`GET /elements/infusionsoftrest and /elements/${REST_ID} answer the Keap REST element, its three keys only`, async () => {
		for (const keyOrId of ['infusionsoftrest', String(REST_ID)]) {
			const response = await call('GET', `/elements/${keyOrId}`);
			expect(response.status).toBe(200);
			expect(response.json).toMatchObject({
				id: REST_ID,
				key: 'infusionsoftrest',
				name: 'Keap',
				hub: 'crm',
				authentication: { type: 'oauth2' },
				active: true,
			});
			expect(configKeys(response)).toEqual([
				'oauth.callback.url',
				'oauth.api.key',
				'oauth.api.secret',
			]);
			expect(
				response.json.configuration.every((entry: { required: boolean }) => entry.required),
			).toBe(true);
		}
	});

	it('GET /elements/infusionsoftcrm lists its five keys; the encrypted key is not required', async () => {
		const response = await call('GET', '/elements/infusionsoftcrm');
		expect(configKeys(response)).toEqual([
			'oauth.callback.url',
			'oauth.api.key',
			'oauth.api.secret',
			'infusionsoft.server',
			'infusionsoft.private.key',
		]);
		const required = Object.fromEntries(
			response.json.configuration.map((e: { key: string; required: boolean }) => [
				e.key,
				e.required,
			]),
		);
		expect(required['infusionsoft.private.key']).toBe(false);
		expect(required['infusionsoft.server']).toBe(true);
	});

	it('the other documented REST id (11748) is no element here', async () => {
		expectPlatformError(await call('GET', '/elements/11748'), 404, /11748/);
		expectPlatformError(await call('GET', '/elements/11748/metadata'), 404);
	});

	it('GET /elements/{keyOrId}/metadata: polling events for REST, none for CRM', async () => {
		for (const keyOrId of ['infusionsoftrest', String(REST_ID)]) {
			const rest = await call('GET', `/elements/${keyOrId}/metadata`);
			expect(rest.status).toBe(200);
			expect(rest.json).toMatchObject({
				key: 'infusionsoftrest',
				elementId: REST_ID,
				hub: 'crm',
				api: 'rest',
				events: { supported: true, methods: ['polling'] },
			});
			expect(rest.json.events.resources).toEqual([
				'appointments',
				'tasks',
				'files',
				'opportunities',
				'contacts',
				'orders',
				'transactions',
			]);
			expect(rest.json.resources).toEqual(
				expect.arrayContaining(['contacts', 'tags', 'oauth/connect/userinfo']),
			);
			expect(rest.json.resources).not.toContain('companies');
		}
		for (const keyOrId of ['infusionsoftcrm', '191']) {
			const crm = await call('GET', `/elements/${keyOrId}/metadata`);
			expect(crm.status).toBe(200);
			expect(crm.json).toEqual({
				key: 'infusionsoftcrm',
				elementId: 191,
				hub: 'crm',
				api: 'xml-rpc',
				events: { supported: false, methods: [] },
				resources: ['accounts', 'contacts', 'opportunities', 'products', 'users'],
			});
		}
		expectPlatformError(await call('GET', '/elements/salesforce/metadata'), 404, /salesforce/);
		const wrongMethod = await call('POST', '/elements/infusionsoftrest/metadata', { body: {} });
		expectPlatformError(wrongMethod, 405);
		expect(wrongMethod.headers.get('allow')).toBe('GET');
		expectPlatformError(
			await call('GET', '/elements/infusionsoftrest/metadata', { auth: null }),
			401,
		);
	});
});

describe('OAuth URL for infusionsoftrest', () => {
	const fields = {
		apiKey: EXAMPLE.clientId,
		apiSecret: EXAMPLE.clientSecret,
		callbackUrl: EXAMPLE.callbackUrl,
	};
	const expected = (state?: string) =>
		`${sb.url}/app/oauth/authorize?scope=full&response_type=code&redirect_uri=${encodeURIComponent(EXAMPLE.callbackUrl)}` +
		`${state === undefined ? '' : `&state=${encodeURIComponent(state)}`}&client_id=${EXAMPLE.clientId}`;

	it('GET builds the consent URL with state; element is infusionsoftrest', async () => {
		const response = await call(
			'GET',
			`/elements/infusionsoftrest/oauth/url?${new URLSearchParams({ ...fields, state: 'r/1+=' })}`,
		);
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ oauthUrl: expected('r/1+='), element: 'infusionsoftrest' });
	});

	it(`GET by id ${REST_ID}, without state: element is the key, no state in the URL`, async () => {
		const response = await call(
			'GET',
			`/elements/${REST_ID}/oauth/url?${new URLSearchParams(fields)}`,
		);
		expect(response.json).toEqual({ oauthUrl: expected(), element: 'infusionsoftrest' });
	});

	it('POST takes the same fields as JSON, secret in the body', async () => {
		const response = await call('POST', '/elements/infusionsoftrest/oauth/url', {
			body: { ...fields, state: 'xyz', scope: 'full' },
		});
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ oauthUrl: expected('xyz'), element: 'infusionsoftrest' });
		expect(sb.requests[sb.requests.length - 1].body).toMatchObject({
			apiSecret: EXAMPLE.clientSecret,
		});
	});

	it('400 naming a missing apiKey, apiSecret or callbackUrl, GET and POST', async () => {
		for (const missing of Object.keys(fields)) {
			const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== missing));
			expectPlatformError(
				await call('GET', `/elements/infusionsoftrest/oauth/url?${new URLSearchParams(rest)}`),
				400,
				new RegExp(missing),
			);
			expectPlatformError(
				await call('POST', '/elements/infusionsoftrest/oauth/url', { body: rest }),
				400,
				new RegExp(missing),
			);
		}
		expectPlatformError(await call('POST', '/elements/11748/oauth/url', { body: fields }), 404);
	});

	it('scope and siteAddress are treated exactly as for infusionsoftcrm (scope passed through, siteAddress unused)', async () => {
		for (const extra of [
			{ scope: 'full' },
			{ scope: 'other' },
			{ siteAddress: 'https://dt123.infusionsoft.com' },
		]) {
			const crm = await call('POST', '/elements/infusionsoftcrm/oauth/url', {
				body: { ...fields, ...extra },
			});
			const rest = await call('POST', '/elements/infusionsoftrest/oauth/url', {
				body: { ...fields, ...extra },
			});
			expect(rest.status).toBe(crm.status);
			expect(rest.json.oauthUrl).toBe(crm.json.oauthUrl);
		}
	});

	it('the REST consent URL leads to a code that creates an infusionsoftrest instance', async () => {
		const { oauthUrl } = (
			await call('POST', '/elements/infusionsoftrest/oauth/url', {
				body: { ...fields, state: 'k1' },
			})
		).json;
		const html = await (await fetch(oauthUrl)).text();
		const allow = /id="allow"[^>]*href="([^"]+)"/.exec(html)?.[1] ?? '';
		const decision = await fetch(
			sb.url + allow.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
			{ redirect: 'manual' },
		);
		const location = new URL(decision.headers.get('location') ?? '');
		expect(location.searchParams.get('state')).toBe('k1');
		const created = await call('POST', '/instances', {
			body: restBody(location.searchParams.get('code') ?? ''),
		});
		expect(created.status).toBe(200);
		expect(created.json.element.key).toBe('infusionsoftrest');
	});
});

describe('POST /instances per element', () => {
	it('infusionsoftrest with its three keys: 200, the REST element, secret masked', async () => {
		const response = await call('POST', '/instances', { body: restBody(exampleCode()) });
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({
			id: 12345,
			name: 'Keap Instance',
			element: {
				id: REST_ID,
				key: 'infusionsoftrest',
				name: 'Keap',
				hub: 'crm',
				authentication: { type: 'oauth2' },
			},
			elementId: REST_ID,
			tags: ['Keap'],
			valid: true,
			disabled: false,
		});
		expect(response.json.token).toHaveLength(44);
		expect(response.json.configuration).toEqual({
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': '********',
		});
		expect(stored(12345).element.key).toBe('infusionsoftrest');
		expect(stored(12345).elementId).toBe(REST_ID);
		expect(stored(12345).configuration['oauth.api.secret']).toBe(EXAMPLE.clientSecret);
	});

	it(`infusionsoftrest by element id ${REST_ID}; 11748 is 404`, async () => {
		const byId = await call('POST', '/instances', {
			body: { ...restBody(exampleCode()), element: { id: REST_ID } },
		});
		expect(byId.status).toBe(200);
		expect(byId.json.element.key).toBe('infusionsoftrest');
		expectPlatformError(
			await call('POST', '/instances', {
				body: { ...restBody(exampleCode()), element: { id: 11748 } },
			}),
			404,
		);
	});

	it('infusionsoftrest refuses the legacy keys, naming them; the code is kept', async () => {
		const code = exampleCode();
		const server = await call('POST', '/instances', {
			body: restBody(code, {
				configuration: restConfiguration({ 'infusionsoft.server': EXAMPLE.server }),
			}),
		});
		expectPlatformError(server, 400);
		expect(server.json.message).toBe(
			'infusionsoft.server is not a configuration of infusionsoftrest',
		);
		const key = await call('POST', '/instances', {
			body: restBody(code, {
				configuration: restConfiguration({ 'infusionsoft.private.key': '' }),
			}),
		});
		expect(key.json.message).toBe(
			'infusionsoft.private.key is not a configuration of infusionsoftrest',
		);
		// the CRM body sent to the REST element: both legacy keys named at once
		const legacy = await call('POST', '/instances', {
			body: { ...instanceBody(code), element: { key: 'infusionsoftrest' } },
		});
		expectPlatformError(legacy, 400);
		expect(legacy.json.message).toBe(
			'infusionsoft.server, infusionsoft.private.key are not configurations of infusionsoftrest',
		);
		const other = await call('POST', '/instances', {
			body: restBody(code, { configuration: restConfiguration({ 'custom.option': 'x' }) }),
		});
		expect(other.json.message).toBe('custom.option is not a configuration of infusionsoftrest');
		expect(sb.instances.size).toBe(0);
		expect((await call('POST', '/instances', { body: restBody(code) })).status).toBe(200);
	});

	it('infusionsoftrest accepts the documented event keys next to its own', async () => {
		const events = {
			'event.notification.enabled': 'true',
			'event.vendor.type': 'polling',
			'event.notification.callback.url': 'https://hooks.example.test/keap',
			'event.poller.refresh_interval': '5',
			'event.poller.configuration': '{"contacts":{"url":"/hubs/crm/contacts","idField":"id"}}',
		};
		const instance = await provisionRest({ configuration: restConfiguration(events) });
		expect(instance.configuration).toMatchObject(events);
	});

	it('infusionsoftrest: 400 naming a missing (or empty) key; the code is kept', async () => {
		const code = exampleCode();
		for (const key of ['oauth.callback.url', 'oauth.api.key', 'oauth.api.secret']) {
			const without = restConfiguration();
			delete (without as Record<string, unknown>)[key];
			const message = new RegExp(
				`^Missing required configuration value: ${key.replace(/\./g, '\\.')}$`,
			);
			expectPlatformError(
				await call('POST', '/instances', { body: restBody(code, { configuration: without }) }),
				400,
				message,
			);
			expectPlatformError(
				await call('POST', '/instances', {
					body: restBody(code, { configuration: restConfiguration({ [key]: ' ' }) }),
				}),
				400,
				message,
			);
		}
		expect((await call('POST', '/instances', { body: restBody(code) })).status).toBe(200);
	});

	it('infusionsoftcrm without infusionsoft.server (or with an empty one): 400 naming it', async () => {
		const code = exampleCode();
		const body = instanceBody(code);
		delete (body.configuration as Record<string, unknown>)['infusionsoft.server'];
		const missing = await call('POST', '/instances', { body });
		expectPlatformError(missing, 400);
		expect(missing.json.message).toBe('Missing required configuration value: infusionsoft.server');
		const empty = await call('POST', '/instances', {
			body: instanceBody(code, { configuration: { 'infusionsoft.server': '' } }),
		});
		expect(empty.json.message).toBe('Missing required configuration value: infusionsoft.server');
		const noKey = instanceBody(code);
		delete (noKey.configuration as Record<string, unknown>)['infusionsoft.private.key'];
		expect((await call('POST', '/instances', { body: noKey })).json.message).toBe(
			'Missing required configuration value: infusionsoft.private.key (may be an empty string)',
		);
		expect(sb.instances.size).toBe(0);
	});

	it('infusionsoftrest: the code is checked like for infusionsoftcrm and is single-use', async () => {
		const code = exampleCode();
		const wrongSecret = await call('POST', '/instances', {
			body: restBody(code, { configuration: restConfiguration({ 'oauth.api.secret': 'wrong' }) }),
		});
		expectPlatformError(wrongSecret, 400, /Failed to create instance/);
		expect(JSON.parse(wrongSecret.json.providerMessage).error).toBe('invalid_client');
		const mismatch = await call('POST', '/instances', {
			body: restBody(code, {
				configuration: restConfiguration({ 'oauth.callback.url': `${EXAMPLE.callbackUrl}?x=1` }),
			}),
		});
		expect(JSON.parse(mismatch.json.providerMessage)).toEqual({
			error: 'invalid_grant',
			error_description: 'Redirect URI mismatch',
		});
		expect((await call('POST', '/instances', { body: restBody(code) })).status).toBe(200);
		const again = await call('POST', '/instances', { body: restBody(code) });
		expectPlatformError(again, 400, /Failed to create instance/);
		expect(JSON.parse(again.json.providerMessage)).toEqual({
			error: 'invalid_grant',
			error_description: 'Invalid authorization code',
		});
		// a code spent on one element cannot be spent on the other
		const crm = await call('POST', '/instances', { body: instanceBody(code) });
		expect(JSON.parse(crm.json.providerMessage).error).toBe('invalid_grant');
		expect(sb.instances.size).toBe(1);
	});

	it('a code from the control API seeds either element', async () => {
		const codeFor = async () =>
			(
				await control('POST', '/codes', {
					body: { clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl },
				})
			).json.code as string;
		expect(
			(await call('POST', '/instances', { body: restBody(await codeFor()) })).json.element.key,
		).toBe('infusionsoftrest');
		expect(
			(await call('POST', '/instances', { body: instanceBody(await codeFor()) })).json.element.key,
		).toBe('infusionsoftcrm');
	});
});

describe('instances of both elements', () => {
	it('GET /instances lists both kinds, each masked after its element', async () => {
		const crm = await provision({ name: 'Legacy', tags: ['mixed'] });
		const rest = await provisionRest({
			name: 'Keap',
			tags: ['mixed'],
			configuration: restConfiguration({ 'event.notification.signature.key': 'k' }),
		});
		const response = await call('GET', '/instances?tags[]=mixed');
		expect(response.status).toBe(200);
		expect(response.json.map((i: SandboxInstance) => [i.id, i.element.key, i.elementId])).toEqual([
			[crm.id, 'infusionsoftcrm', 191],
			[rest.id, 'infusionsoftrest', REST_ID],
		]);
		expect(response.json[0].configuration).toMatchObject({
			'oauth.api.secret': '********',
			'infusionsoft.private.key': '********',
		});
		expect(response.json[1].configuration).toEqual({
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': '********',
			'event.notification.signature.key': '********', // a PASSWORD like the element's secret
		});
		expect(stored(rest.id).configuration['event.notification.signature.key']).toBe('k');
		expect((await call('GET', `/instances/${rest.id}`)).json).toEqual(rest);
	});

	it('GET /instances/{id}/configuration of a REST instance: its three entries, secret masked', async () => {
		const rest = await provisionRest();
		const response = await call('GET', `/instances/${rest.id}/configuration`);
		expect(response.status).toBe(200);
		expect(response.json).toEqual([
			{
				id: expect.any(Number),
				key: 'oauth.callback.url',
				name: 'Callback URL',
				type: 'TEXTFIELD_1000',
				required: true,
				propertyValue: EXAMPLE.callbackUrl,
			},
			{
				id: expect.any(Number),
				key: 'oauth.api.key',
				name: 'OAuth API Key',
				type: 'TEXTFIELD_128',
				required: true,
				propertyValue: EXAMPLE.clientId,
			},
			{
				id: expect.any(Number),
				key: 'oauth.api.secret',
				name: 'OAuth API Secret',
				type: 'PASSWORD',
				required: true,
				propertyValue: '********',
			},
		]);
		// ids are fixed per instance and key
		expect((await call('GET', `/instances/${rest.id}/configuration`)).json).toEqual(response.json);
	});

	it('hub ping names the element of the instance', async () => {
		const rest = await provisionRest();
		const crm = await provision();
		expect(
			(await call('GET', '/hubs/crm/ping', { auth: `${AUTH}, Element ${rest.token}` })).json
				.endpoint,
		).toBe('infusionsoftrest');
		expect(
			(await call('GET', '/hubs/crm/ping', { auth: `${AUTH}, Element ${crm.token}` })).json
				.endpoint,
		).toBe('infusionsoftcrm');
	});

	it('PUT re-authenticates a REST instance and keeps its element; the same element named in the body is fine', async () => {
		const rest = await provisionRest();
		await control('POST', `/instances/${rest.id}/state`, { body: { valid: false } });
		for (const element of [undefined, { key: 'infusionsoftrest' }, { id: REST_ID }]) {
			const response = await call('PUT', `/instances/${rest.id}?reAuthenticate=true`, {
				body: {
					element,
					providerData: { code: exampleCode() },
					configuration: restConfiguration({ 'oauth.api.secret': '********' }),
				},
			});
			expect(response.status).toBe(200);
			expect(response.json).toMatchObject({
				id: rest.id,
				valid: true,
				elementId: REST_ID,
				element: { key: 'infusionsoftrest' },
			});
			expect(response.json.token).not.toBe(rest.token);
		}
		expect(stored(rest.id).configuration).toEqual(restConfiguration());
		expect(sb.instances.size).toBe(1);
	});

	it('PUT configuration of a REST instance keeps its own keys left out; a legacy key is refused', async () => {
		const rest = await provisionRest();
		const renamed = await call('PUT', `/instances/${rest.id}`, {
			body: { name: 'Renamed', configuration: { 'event.vendor.type': 'polling' } },
		});
		expect(renamed.status).toBe(200);
		expect(stored(rest.id).configuration).toEqual(
			restConfiguration({ 'event.vendor.type': 'polling' }),
		);
		const code = exampleCode();
		const legacy = await call('PUT', `/instances/${rest.id}`, {
			body: {
				providerData: { code },
				configuration: { ...configuration(), 'oauth.api.secret': '********' },
			},
		});
		expectPlatformError(legacy, 400);
		expect(legacy.json.message).toBe(
			'infusionsoft.server, infusionsoft.private.key are not configurations of infusionsoftrest',
		);
		expect(stored(rest.id)).toMatchObject({ name: 'Renamed', token: rest.token });
		// the refused PUT did not spend the code
		expect(
			(await call('PUT', `/instances/${rest.id}`, { body: { providerData: { code } } })).status,
		).toBe(200);
	});

	it('PUT naming another element is 400, changes nothing and keeps the code', async () => {
		const rest = await provisionRest();
		const crm = await provision();
		const code = exampleCode();
		const cases: Array<[number, unknown, RegExp]> = [
			[
				rest.id,
				{ key: 'infusionsoftcrm' },
				new RegExp(`instance ${rest.id} is infusionsoftrest, not infusionsoftcrm`),
			],
			[rest.id, { id: 191 }, /is infusionsoftrest, not id 191$/],
			[rest.id, { key: 'infusionsoftrest', id: 191 }, /is infusionsoftrest, not id 191$/],
			[
				rest.id,
				{ key: 'infusionsoftcrm', id: REST_ID },
				/is infusionsoftrest, not infusionsoftcrm$/,
			],
			[
				crm.id,
				{ key: 'infusionsoftrest' },
				new RegExp(`instance ${crm.id} is infusionsoftcrm, not infusionsoftrest`),
			],
			[crm.id, { key: 'hubspotcrm' }, /is infusionsoftcrm, not hubspotcrm/],
			[crm.id, 'infusionsoftcrm', /element must be an object/],
		];
		for (const [id, element, message] of cases) {
			const response = await call('PUT', `/instances/${id}?reAuthenticate=true`, {
				body: { element, name: 'Moved', providerData: { code } },
			});
			expectPlatformError(response, 400, message);
			if (typeof element === 'object')
				expect(response.json.message).toMatch(/^The element of an instance cannot be changed/);
		}
		expect(stored(rest.id)).toMatchObject({
			name: 'Keap Instance',
			token: rest.token,
			elementId: REST_ID,
			element: { key: 'infusionsoftrest' },
		});
		expect(stored(crm.id)).toMatchObject({
			name: 'API Instance',
			token: crm.token,
			elementId: 191,
			element: { key: 'infusionsoftcrm' },
		});
		expect(
			(await call('PUT', `/instances/${rest.id}`, { body: { providerData: { code } } })).status,
		).toBe(200);
	});

	it('PATCH validates per element: REST refuses legacy keys, CRM keeps its server required; neither switches element', async () => {
		const rest = await provisionRest();
		const crm = await provision();
		const legacy = await call('PATCH', `/instances/${rest.id}`, {
			body: { configuration: { 'infusionsoft.server': EXAMPLE.server } },
		});
		expectPlatformError(legacy, 400);
		expect(legacy.json.message).toBe(
			'infusionsoft.server is not a configuration of infusionsoftrest',
		);
		const events = await call('PATCH', `/instances/${rest.id}`, {
			body: { configuration: { 'event.notification.enabled': 'true' } },
		});
		expect(events.status).toBe(200);
		expect(events.json.configuration['event.notification.enabled']).toBe('true');
		const noServer = await call('PATCH', `/instances/${crm.id}`, {
			body: { configuration: { 'infusionsoft.server': '' } },
		});
		expect(noServer.json.message).toBe('Missing required configuration value: infusionsoft.server');
		expectPlatformError(
			await call('PATCH', `/instances/${crm.id}`, {
				body: { element: { key: 'infusionsoftrest' }, name: 'x' },
			}),
			400,
			/cannot be changed/,
		);
		expect(
			(
				await call('PATCH', `/instances/${crm.id}`, {
					body: { element: { key: 'infusionsoftcrm' }, name: 'x' },
				})
			).status,
		).toBe(200);
		expect(stored(crm.id).configuration['infusionsoft.server']).toBe(EXAMPLE.server);
		expect(stored(rest.id).configuration).not.toHaveProperty('infusionsoft.server');
	});
});

describe('faults', () => {
	it('429 with Retry-After and a JSON body', async () => {
		sb.fail({ status: 429, retryAfter: 1 });
		const response = await call('GET', '/elements/infusionsoftcrm');
		expectPlatformError(response, 429);
		expect(response.headers.get('retry-after')).toBe('1');
		expect((await call('GET', '/elements/infusionsoftcrm')).status).toBe(200);
	});

	it('5xx with an HTML body like a proxy', async () => {
		sb.fail({ status: 503, html: true });
		const response = await call('GET', '/instances');
		expect(response.status).toBe(503);
		expect(response.headers.get('content-type')).toMatch(/text\/html/);
		expect(response.text).toMatch(/<html>[\s\S]*503 Service Unavailable/);
		expect(response.json).toBeUndefined();
	});

	it('arbitrary status, body and content type (empty, invalid JSON)', async () => {
		sb.fail({ status: 500, body: '' });
		sb.fail({ status: 200, body: '{"truncated": ', contentType: 'application/json' });
		const empty = await call('GET', '/instances');
		expect(empty.status).toBe(500);
		expect(empty.text).toBe('');
		expect(empty.headers.get('content-type')).toBeNull();
		const broken = await call('GET', '/instances');
		expect(broken.status).toBe(200);
		expect(broken.text).toBe('{"truncated": ');
	});

	it('drop before: the socket closes and nothing happens', async () => {
		sb.fail({ method: 'POST', path: '/instances', drop: 'before' });
		const code = exampleCode();
		await expect(call('POST', '/instances', { body: instanceBody(code) })).rejects.toThrow();
		expect(sb.instances.size).toBe(0);
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(200);
	});

	it('drop after: the instance IS created but no answer comes (outcome unknown)', async () => {
		sb.fail({ method: 'POST', path: '/instances', drop: 'after' });
		const code = exampleCode();
		await expect(
			call('POST', '/instances', { body: instanceBody(code, { name: 'Ghost' }) }),
		).rejects.toThrow();
		expect(sb.instances.size).toBe(1);
		expect(stored(12345).name).toBe('Ghost');
		const list = await call('GET', '/instances?searchText=ghost');
		expect(list.json).toHaveLength(1);
		// the code was used by the request that got no answer
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(400);
	});

	it('delayMs: processed at once, answered late (a client timeout leaves the instance created)', async () => {
		const timers = timersStarted();
		sb.fail({ path: '/elements', delayMs: 200 });
		expect((await call('GET', '/elements/infusionsoftcrm')).status).toBe(200);
		expect(timers()).toContain(200);

		sb.fail({ method: 'POST', path: '/instances', delayMs: 600_000 });
		const client = new AbortController();
		const gaveUp = call('POST', '/instances', {
			body: instanceBody(exampleCode()),
			signal: client.signal,
		});
		await until(() => sb.pendingTimers() === 1); // the answer is held
		expect(sb.instances.size).toBe(1);
		client.abort();
		await expect(gaveUp).rejects.toThrow();
		expect(sb.instances.size).toBe(1);
	});

	it('matches method and path (prefix or RegExp), FIFO, `times`, and is recorded', async () => {
		const created = await provision();
		sb.fail({ method: 'delete', status: 500 });
		sb.fail({ path: /^\/instances\/\d+$/, status: 502, times: 2 });
		sb.fail({ path: '/instances', status: 504 });
		expect((await call('GET', '/elements/infusionsoftcrm')).status).toBe(200);
		expect((await call('GET', '/instances')).status).toBe(504);
		expect((await call('GET', `/instances/${created.id}`)).status).toBe(502);
		expect((await call('DELETE', `/instances/${created.id}`)).status).toBe(500);
		expect((await call('GET', `/instances/${created.id}`)).status).toBe(502);
		expect((await call('GET', `/instances/${created.id}`)).status).toBe(200);
		expect(sb.instances.has(created.id)).toBe(true);

		const faulted = sb.requests.filter((r) => r.fault);
		expect(faulted.map((r) => [r.method, r.path, r.fault?.status])).toEqual([
			['GET', '/elements/api-v2/instances', 504],
			['GET', `/elements/api-v2/instances/${created.id}`, 502],
			['DELETE', `/elements/api-v2/instances/${created.id}`, 500],
			['GET', `/elements/api-v2/instances/${created.id}`, 502],
		]);
		expect(faulted[1].fault?.path).toBe('/^\\/instances\\/\\d+$/');
	});

	it('faults do not touch the consent page or the control API', async () => {
		sb.fail({ status: 500, times: 3 });
		expect((await control('GET', '/health')).status).toBe(200);
		const page = await fetch(
			`${sb.url}/app/oauth/authorize?client_id=${EXAMPLE.clientId}&redirect_uri=https%3A%2F%2Fx.test&response_type=code`,
		);
		expect(page.status).toBe(200);
		expect((await call('GET', '/elements/191')).status).toBe(500);
	});

	it('rejects malformed faults', () => {
		expect(() => sb.fail({ path: '/instances' })).toThrow(TypeError);
		expect(() => sb.fail({ drop: 'sideways' as 'before' })).toThrow(TypeError);
		expect(() => sb.fail({ status: 42 })).toThrow(TypeError);
		expect(() => sb.fail({ status: 500, times: 0 })).toThrow(TypeError);
	});
});

describe('faults for the fault suite', () => {
	it("status with body 'null', '[]' and '' comes out byte-exact (200 null JSON, 201 empty)", async () => {
		sb.fail({ status: 200, body: 'null' });
		const nullBody = await rawCall('GET', '/instances');
		expect(nullBody.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nnull$/);
		expect(nullBody.headers['content-type']).toBe('application/json');
		expect(nullBody.headers['content-length']).toBe('4');
		expect(nullBody.body.toString()).toBe('null');

		sb.fail({ status: 200, body: '[]' });
		const empty = await rawCall('GET', '/instances');
		expect(empty.body.toString()).toBe('[]');
		expect(empty.headers['content-length']).toBe('2');

		sb.fail({ status: 201, body: '' });
		const created = await rawCall('POST', '/instances', { body: instanceBody(exampleCode()) });
		expect(created.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 201 Created\r\n[\s\S]*\r\n\r\n$/);
		expect(created.headers['content-length']).toBe('0');
		expect(created.headers['content-type']).toBeUndefined();
		expect(created.body).toHaveLength(0);
		expect(sb.instances.size).toBe(0); // status without afterProcessing: not processed

		sb.fail({ status: 200, body: 'null' });
		const viaFetch = await call('GET', '/instances');
		expect(viaFetch.text).toBe('null');
		expect(viaFetch.json).toBeNull();
	});

	it('204 has no body, no content-length and no content type (with or without body: "")', async () => {
		sb.fail({ status: 204 });
		sb.fail({ status: 204, body: '', headers: { 'x-trace': 't-1' } });
		for (const trace of [undefined, 't-1']) {
			const response = await rawCall('DELETE', '/instances/12345');
			expect(response.raw.toString('latin1')).toMatch(
				/^HTTP\/1\.1 204 No Content\r\n[\s\S]*\r\n\r\n$/,
			);
			expect(response.body).toHaveLength(0);
			expect(response.headers['content-length']).toBeUndefined();
			expect(response.headers['transfer-encoding']).toBeUndefined();
			expect(response.headers['content-type']).toBeUndefined();
			expect(response.headers['x-trace']).toBe(trace);
			expect(response.complete).toBe(true);
		}
		sb.fail({ status: 204 });
		const viaFetch = await call('DELETE', '/instances/12345');
		expect(viaFetch.status).toBe(204);
		expect(viaFetch.text).toBe('');
		// the connection stays usable after a 204 (no stray body bytes)
		expect((await call('GET', '/elements/191')).status).toBe(200);
	});

	it('headers: a 302 with Location (empty body) reaches a client that does not follow redirects', async () => {
		const location = 'https://login.example.net/sso?next=/x';
		sb.fail({
			method: 'GET',
			path: '/instances',
			status: 302,
			body: '',
			headers: { Location: location },
		});
		const response = await call('GET', '/instances', { redirect: 'manual' });
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe(location);
		expect(response.text).toBe('');

		sb.fail({ status: 302, body: '', headers: { location } });
		const raw = await rawCall('GET', '/instances');
		expect(raw.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 302 Found\r\n[\s\S]*\r\n\r\n$/);
		expect(raw.headers).toMatchObject({ location, 'content-length': '0' });
		expect(sb.requests.at(-1)?.fault).toMatchObject({ status: 302, headers: { location } });
	});

	it('headers on the real answer (no status): added, and they replace same-named ones', async () => {
		await provision();
		sb.fail({
			method: 'GET',
			path: '/instances',
			headers: { 'elements-next-page-token': 'abc', 'Content-Type': 'text/plain', 'x-extra': '1' },
		});
		const response = await call('GET', '/instances');
		expect(response.status).toBe(200);
		expect(response.headers.get('elements-next-page-token')).toBe('abc');
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(response.headers.get('x-extra')).toBe('1');
		expect(JSON.parse(response.text)).toHaveLength(1);
	});

	it('afterProcessing: POST /instances really creates the instance, then answers 201 with an empty body', async () => {
		sb.fail({ method: 'POST', path: '/instances', status: 201, body: '', afterProcessing: true });
		const code = exampleCode();
		const response = await call('POST', '/instances', {
			body: instanceBody(code, { name: 'Mangled' }),
		});
		expect(response.status).toBe(201);
		expect(response.text).toBe('');
		expect(sb.instances.size).toBe(1);
		expect(stored(12345).name).toBe('Mangled');
		expect((await call('POST', '/instances', { body: instanceBody(code) })).status).toBe(400); // the code is spent
		expect(sb.requests.find((r) => r.fault)?.fault).toMatchObject({
			status: 201,
			body: '',
			afterProcessing: true,
		});
	});

	it('afterProcessing: a re-authenticating PUT spends the code and changes the token, the client sees a 502 page', async () => {
		const created = await provision();
		const before = stored(created.id).token;
		sb.fail({
			method: 'PUT',
			path: `/instances/${created.id}`,
			status: 502,
			html: true,
			afterProcessing: true,
		});
		const code = exampleCode();
		const response = await call('PUT', `/instances/${created.id}`, { body: instanceBody(code) });
		expect(response.status).toBe(502);
		expect(response.text).toMatch(/502 Bad Gateway/);
		expect(stored(created.id).token).not.toBe(before);
		expect(
			(await call('PUT', `/instances/${created.id}`, { body: instanceBody(code) })).status,
		).toBe(400);
	});

	it("drop 'midBody': the instance IS created, the client gets the headers and half the body, then the cut", async () => {
		sb.fail({ method: 'POST', path: '/instances', drop: 'midBody' });
		await expect(
			call('POST', '/instances', { body: instanceBody(exampleCode(), { name: 'Half' }) }),
		).rejects.toThrow();
		expect(sb.instances.size).toBe(1);
		expect(stored(12345).name).toBe('Half');
		expect(sb.requests.at(-1)?.fault).toMatchObject({ drop: 'midBody' });

		sb.fail({ method: 'POST', path: '/instances', drop: 'midBody' });
		const raw = await rawCall('POST', '/instances', {
			body: instanceBody(exampleCode(), { name: 'Half 2' }),
		});
		expect(raw.status).toBe(200);
		expect(raw.headers['content-type']).toBe('application/json');
		const length = Number(raw.headers['content-length']);
		expect(length).toBeGreaterThan(100);
		expect(raw.body.length).toBe(Math.floor(length / 2));
		expect(raw.complete).toBe(false);
		expect(raw.body.toString()).toMatch(/^\{"id":12346,/);
		expect(sb.instances.size).toBe(2);
	});

	it("drop 'midBody' with status cuts the fault's answer (not processed)", async () => {
		sb.fail({ status: 200, body: '[1,2,3,4]', drop: 'midBody' });
		const raw = await rawCall('GET', '/instances');
		expect(raw.headers['content-length']).toBe('9');
		expect(raw.body.toString()).toBe('[1,2');
		expect(raw.complete).toBe(false);
	});

	it('dripMs: headers at once, the body one byte every dripMs ms, then complete', async () => {
		const body = '["0123456789"]'; // 14 bytes
		const timers = timersStarted();
		sb.fail({ status: 200, body, dripMs: 25 });
		const response = await fetch(`${sb.apiRoot}/instances`, { headers: { authorization: AUTH } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-length')).toBe('14');
		expect(await response.text()).toBe(body);
		// one wait of dripMs before each byte
		expect(timers().filter((ms) => ms === 25)).toHaveLength(14);
		expect(sb.requests.at(-1)?.fault).toMatchObject({ dripMs: 25 });
	});

	// The first byte is a minute away: the status and headers come first, and the client hangs up on them.
	it('dripMs with the real answer: processed at once, headers at once, answer dripped; a client that gives up stops the drip', async () => {
		sb.fail({ method: 'POST', path: '/instances', dripMs: 60_000 });
		const raw = await rawCall('POST', '/instances', {
			body: instanceBody(exampleCode()),
			abortAfterBytes: 0,
		});
		expect(raw.status).toBe(200);
		expect(Number(raw.headers['content-length'])).toBeGreaterThan(100);
		expect(raw.body.length).toBe(0);
		expect(sb.instances.size).toBe(1); // processed before the first byte
		// the sandbox stops writing: its drip timer goes away (a drip that went on would keep one for minutes)
		await until(() => sb.pendingTimers() === 0);
		expect(sb.requests.at(-1)?.fault).toMatchObject({ dripMs: 60_000 });
	});

	it('dripMs and midBody: half the body dripped, then the cut', async () => {
		const timers = timersStarted();
		sb.fail({ status: 200, body: '[1,2,3,4]', drop: 'midBody', dripMs: 20 });
		const raw = await rawCall('GET', '/instances');
		expect(raw.body.toString()).toBe('[1,2');
		expect(raw.complete).toBe(false);
		expect(timers().filter((ms) => ms === 20)).toHaveLength(4);
	});

	// Each drip would last over 16 hours: close() and reset() that waited for it would meet the test's timeout.
	it('dripMs: close() and reset() cut a drip in progress at once, timers included', async () => {
		const other = await startSandbox();
		other.fail({ status: 200, body: 'x'.repeat(1000), contentType: 'text/plain', dripMs: 60_000 });
		const response = await fetch(`${other.apiRoot}/instances`, {
			headers: { authorization: AUTH },
		});
		const text = response.text();
		expect(other.pendingTimers()).toBe(1);
		await other.close();
		await expect(text).rejects.toThrow();
		expect(other.pendingTimers()).toBe(0);

		sb.fail({ status: 200, body: 'y'.repeat(1000), contentType: 'text/plain', dripMs: 60_000 });
		const second = await fetch(`${sb.apiRoot}/instances`, { headers: { authorization: AUTH } });
		const secondText = second.text();
		expect(sb.pendingTimers()).toBe(1);
		sb.reset();
		expect(sb.pendingTimers()).toBe(0);
		await expect(secondText).rejects.toThrow();
		expect((await call('GET', '/elements/191')).status).toBe(200);
	});

	// The waits are ten minutes long: a reset() that let them run would meet the test's timeout.
	it('reset() cuts off requests waiting for latency or delayMs: nothing is processed or answered after it', async () => {
		sb.setLatency(600_000);
		try {
			const waiting = call('POST', '/instances', {
				body: instanceBody(exampleCode(), { name: 'Too late' }),
			});
			await until(() => sb.pendingTimers() === 1); // arrived, waiting out the latency
			sb.reset();
			await expect(waiting).rejects.toThrow();
		} finally {
			sb.setLatency(0);
		}
		// no timer is left that could go on with it
		expect(sb.pendingTimers()).toBe(0);
		expect(sb.instances.size).toBe(0);

		sb.fail({ path: '/elements', delayMs: 600_000 });
		const delayed = call('GET', '/elements/191');
		await until(() => sb.pendingTimers() === 1);
		sb.reset();
		await expect(delayed).rejects.toThrow();
		expect(sb.pendingTimers()).toBe(0);
		expect((await call('GET', '/elements/191')).status).toBe(200);
	});

	it('freshNextPageToken: every answer carries a new token (a platform that pages forever)', async () => {
		sb.fail({
			method: 'GET',
			path: '/instances',
			status: 200,
			body: '[{"id":1}]',
			freshNextPageToken: true,
			times: 100000,
		});
		const tokens = new Set<string>();
		let next = '';
		for (let page = 0; page < 5; page++) {
			const response = await call(
				'GET',
				`/instances${next ? `?nextPage=${encodeURIComponent(next)}` : ''}`,
			);
			expect(response.status).toBe(200);
			expect(response.json).toEqual([{ id: 1 }]);
			next = response.headers.get('elements-next-page-token') ?? '';
			expect(next).not.toBe('');
			tokens.add(next);
		}
		expect(tokens.size).toBe(5);
		sb.reset();
		// on the real answer too; such a token is not a valid page once the fault is gone
		await provision();
		sb.fail({ method: 'GET', path: '/instances', freshNextPageToken: true });
		const real = await call('GET', '/instances');
		expect(real.json).toHaveLength(1);
		const token = real.headers.get('elements-next-page-token') ?? '';
		expect(token).not.toBe('');
		expect((await call('GET', `/instances?nextPage=${encodeURIComponent(token)}`)).status).toBe(
			400,
		);
	});

	it('echoRequest: the body repeats the Authorization header, the raw query, the headers and the body as received', async () => {
		sb.fail({ method: 'POST', path: '/instances', status: 400, echoRequest: true });
		const sent = instanceBody(exampleCode());
		const response = await call('POST', '/instances?a=x%2Fy&b=+&c', {
			body: sent,
			headers: { 'x-custom': 'v' },
		});
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(response.json.requestId).toMatch(/^echo-/);
		expect(response.json.message).toBe(`Echoed: ${AUTH} a=x%2Fy&b=+&c`);
		expect(response.json.message).toContain(EXAMPLE.userSecret);
		expect(response.json.headers).toMatchObject({
			authorization: AUTH,
			'x-custom': 'v',
			'content-type': 'application/json',
		});
		expect(response.json.body).toBe(JSON.stringify(sent));
		expect(sb.instances.size).toBe(0); // status without afterProcessing: not processed

		sb.fail({ status: 500, echoRequest: true });
		const bare = await call('GET', '/instances');
		expect(bare.json.message).toBe(`Echoed: ${AUTH} `);
		expect(bare.json.body).toBe('');
	});

	it('rejects bad new fields with a TypeError naming the field', () => {
		const rejects = (fault: unknown, field: RegExp) => {
			expect(() => sb.fail(fault as SandboxFault)).toThrow(TypeError);
			expect(() => sb.fail(fault as SandboxFault)).toThrow(field);
		};
		rejects({ status: 200, headers: 'location: x' }, /headers/);
		rejects({ status: 200, headers: ['x'] }, /headers/);
		rejects({ status: 200, headers: null }, /headers/);
		rejects({ status: 200, headers: { 'x-n': 1 } }, /headers.*x-n/);
		rejects({ status: 200, headers: { 'bad name': 'x' } }, /headers.*bad name/);
		rejects({ status: 200, headers: { location: 'a\r\nb' } }, /headers.*location/);
		rejects({ status: 200, headers: { 'Content-Length': '5' } }, /headers.*Content-Length/);
		rejects({ status: 201, afterProcessing: 'yes' }, /afterProcessing/);
		rejects({ afterProcessing: true, delayMs: 5 }, /afterProcessing needs status/);
		rejects({ drop: 'middle' }, /drop/);
		for (const dripMs of [0, -1, '5', Number.NaN, Number.POSITIVE_INFINITY, null])
			rejects({ dripMs }, /dripMs/);
		rejects({ status: 200, freshNextPageToken: 'true' }, /freshNextPageToken/);
		rejects({ status: 200, echoRequest: 1 }, /echoRequest/);
		rejects({ echoRequest: true, delayMs: 5 }, /echoRequest needs status/);
		rejects({ status: 400, echoRequest: true, body: '{}' }, /echoRequest/);
		rejects({ status: 500, afterProcesing: true }, /Unknown fault field: afterProcesing/);
		rejects({ drop: 'after', headers: { a: 'b' } }, /headers/);
		rejects({ drop: 'before', dripMs: 5 }, /dripMs/);
		rejects({ drop: 'after', status: 500 }, /status/);
		rejects({ status: 204, body: 'x' }, /204/);
		rejects({ body: '[]' }, /body needs status/);
		expect(() =>
			sb.fail({ status: 200, afterProcessing: false, freshNextPageToken: false }),
		).not.toThrow();
		expect(() =>
			sb.fail({ drop: 'midBody', dripMs: 0.5, headers: {}, freshNextPageToken: true }),
		).not.toThrow();
	});
});

describe('latency', () => {
	it('adds latency to platform calls only', async () => {
		sb.setLatency(150);
		try {
			let timers = timersStarted();
			expect((await call('GET', '/elements/infusionsoftcrm')).status).toBe(200);
			expect(timers()).toContain(150);
			jest.restoreAllMocks();
			timers = timersStarted();
			expect((await control('GET', '/health')).status).toBe(200);
			expect(timers()).not.toContain(150);
		} finally {
			sb.setLatency(0);
		}
	});
});

describe('control API', () => {
	it('health', async () => {
		await provision();
		const response = await control('GET', '/health');
		expect(response.json).toMatchObject({
			ok: true,
			url: sb.url,
			apiRoot: sb.apiRoot,
			instances: 1,
			latencyMs: 0,
		});
	});

	it('requests lists what was received (control calls excluded), with parsed query, headers and body', async () => {
		await call('GET', '/instances?tags[]=a&tags[]=b&searchText=x');
		await provision();
		const response = await control('GET', '/requests');
		expect(response.json).toHaveLength(2);
		const [list, create] = response.json;
		expect(list).toMatchObject({
			method: 'GET',
			path: '/elements/api-v2/instances',
			query: { 'tags[]': ['a', 'b'], searchText: 'x' },
		});
		expect(list.headers.authorization).toBe(AUTH);
		expect(typeof list.time).toBe('number');
		expect(create.body).toMatchObject({
			element: { key: 'infusionsoftcrm' },
			name: 'API Instance',
		});
		expect(sb.requests).toHaveLength(2);
	});

	it('reset clears instances, requests, codes and faults; ids restart', async () => {
		const code = exampleCode();
		await provision();
		sb.fail({ status: 500 });
		expect((await control('POST', '/reset')).status).toBe(200);
		expect(sb.instances.size).toBe(0);
		expect(sb.requests).toHaveLength(0);
		expectPlatformError(await call('POST', '/instances', { body: instanceBody(code) }), 400);
		expect((await provision()).id).toBe(12345);
	});

	it('faults can be queued as JSON, with pathRegExp', async () => {
		expect(
			(
				await control('POST', '/faults', {
					body: { method: 'GET', pathRegExp: '^/instances$', status: 429, retryAfter: 2 },
				})
			).status,
		).toBe(200);
		const response = await call('GET', '/instances');
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('2');
		expect((await control('POST', '/faults', { body: { times: 1 } })).status).toBe(400);
		expect((await control('POST', '/faults', { raw: 'nope' })).status).toBe(400);
	});

	it('faults can use the new fields as JSON: headers, booleans, numbers', async () => {
		const queue = (fault: Record<string, unknown>) => control('POST', '/faults', { body: fault });
		expect(
			(
				await queue({
					method: 'GET',
					pathRegExp: '^/instances$',
					status: 200,
					body: '[]',
					freshNextPageToken: true,
					times: 2,
					headers: { 'X-Page': 'p' },
				})
			).status,
		).toBe(200);
		const first = await call('GET', '/instances');
		const second = await call('GET', '/instances');
		expect(first.text).toBe('[]');
		expect(first.headers.get('x-page')).toBe('p');
		expect(first.headers.get('elements-next-page-token')).toBeTruthy();
		expect(second.headers.get('elements-next-page-token')).toBeTruthy();
		expect(first.headers.get('elements-next-page-token')).not.toBe(
			second.headers.get('elements-next-page-token'),
		);
		expect((await call('GET', '/instances')).status).toBe(404); // used up

		expect(
			(await queue({ method: 'POST', path: '/instances', status: 401, echoRequest: true })).status,
		).toBe(200);
		const echoed = await call('POST', '/instances?x=1', { body: instanceBody(exampleCode()) });
		expect(echoed.status).toBe(401);
		expect(echoed.json.message).toBe(`Echoed: ${AUTH} x=1`);

		expect(
			(
				await queue({
					method: 'POST',
					path: '/instances',
					status: 201,
					body: '',
					afterProcessing: true,
					dripMs: 1,
				})
			).status,
		).toBe(200);
		const created = await call('POST', '/instances', { body: instanceBody(exampleCode()) });
		expect([created.status, created.text, sb.instances.size]).toEqual([201, '', 1]);

		for (const [bad, field] of [
			[{ status: 200, headers: { a: 1 } }, 'headers'],
			[{ status: 200, echoRequest: 'yes' }, 'echoRequest'],
			[{ dripMs: '5' }, 'dripMs'],
			[{ status: 200, freshNextPageToken: 1 }, 'freshNextPageToken'],
			[{ status: 200, afterProcessing: 'true' }, 'afterProcessing'],
			[{ drop: 'middle' }, 'drop'],
		] as const) {
			const response = await queue(bad);
			expect(response.status).toBe(400);
			expect(response.json.message).toContain(field);
		}
	});

	it("sandbox/cli.js (npm start's stand-in) takes the new fault fields through POST /__sandbox/faults", async () => {
		const child = spawn(
			process.execPath,
			[join(__dirname, '../../sandbox/cli.js'), '--port', '0'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString();
					const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
					if (match) resolve(match[1]);
				});
				child.once('exit', (code) => reject(new Error(`cli.js exited with ${code}`)));
			});
			const queue = (fault: Record<string, unknown>) =>
				fetch(`${url}/__sandbox/faults`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(fault),
				});
			expect(
				(await queue({ status: 200, body: '[]', freshNextPageToken: true, times: 2 })).status,
			).toBe(200);
			expect((await queue({ status: 500, echoRequest: true })).status).toBe(200);
			const page = (n: number) =>
				fetch(`${url}/elements/api-v2/instances?page=${n}`, { headers: { authorization: AUTH } });
			const [one, two] = [await page(1), await page(2)];
			expect(await one.text()).toBe('[]');
			await two.text();
			expect(one.headers.get('elements-next-page-token')).toBeTruthy();
			expect(one.headers.get('elements-next-page-token')).not.toBe(
				two.headers.get('elements-next-page-token'),
			);
			const echoed = await page(3);
			expect(echoed.status).toBe(500);
			expect(((await echoed.json()) as { message: string }).message).toBe(`Echoed: ${AUTH} page=3`);
		} finally {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
		}
	});

	it('latency can be set', async () => {
		expect((await control('POST', '/latency', { body: { ms: 120 } })).json.latencyMs).toBe(120);
		const timers = timersStarted();
		await call('GET', '/elements/191');
		expect(timers()).toContain(120);
		await control('POST', '/latency', { body: { ms: 0 } });
		expect((await control('POST', '/latency', { body: { ms: -5 } })).status).toBe(400);
	});

	it('codes issues a code usable by POST /instances', async () => {
		const response = await control('POST', '/codes', {
			body: { clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl },
		});
		expect(
			(await call('POST', '/instances', { body: instanceBody(response.json.code) })).status,
		).toBe(200);
	});

	it('instances/{id}/state sets valid and disabled', async () => {
		const created = await provision();
		const response = await control('POST', `/instances/${created.id}/state`, {
			body: { valid: false, disabled: true },
		});
		expect(response.json).toMatchObject({ id: created.id, valid: false, disabled: true });
		expect((await call('GET', `/instances/${created.id}`)).json).toMatchObject({
			valid: false,
			disabled: true,
		});
		expect((await control('POST', '/instances/1/state', { body: { valid: true } })).status).toBe(
			404,
		);
		expect(
			(await control('POST', `/instances/${created.id}/state`, { body: { valid: 'yes' } })).status,
		).toBe(400);
	});
});

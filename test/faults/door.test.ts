/**
 * The door to the platform, case by case: what a hostile platform, a misbehaving proxy or an
 * unlucky network did to the node before it was hardened (issue "Harden the door", part 1),
 * each run through n8n's engine against the stand-in with sentinel secrets. The fault matrix
 * (faultMatrix.test.ts) runs the generic faults on each class of call and every operation;
 * this file checks what each case must end in, precisely.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { signedState } from './operations';
import {
	apiCalls,
	expectClearError,
	expectNoSentinels,
	issueCode,
	runWith,
	seedInstance,
	SENTINEL,
	sentinelCredentials,
	startSentinelSandbox,
	TYPE_ERROR_WORDS,
	type Sandbox,
} from './support';
import { REAL_CLOCK, RequestPacer } from '../../lib/platform/pacer';
import { answerGate } from '../support/answerGate';
import { cancelExecutionOn } from '../support/cancelExecution';
import { runNode } from '../support/infusionsoftRun';
import { useVirtualClock, type VirtualClock } from '../support/virtualClock';

const getInstance = { resource: 'instance', operation: 'get', instanceId: '={{ $json.id }}' };
const deleteInstance = { resource: 'instance', operation: 'delete', instanceId: '={{ $json.id }}' };
const createInstance = (onExisting: string, extra: IDataObject = {}) => ({
	resource: 'instance',
	operation: 'create',
	code: '={{ $json.code }}',
	name: '={{ $json.name }}',
	onExisting,
	...extra,
});

/** A server on loopback that only counts what reaches it: where a redirect points. */
async function elsewhere(): Promise<{
	server: Server;
	url: string;
	hits: Array<{ path: string; authorization?: string }>;
}> {
	const hits: Array<{ path: string; authorization?: string }> = [];
	const server = createServer((req, res) => {
		hits.push({ path: req.url ?? '', authorization: req.headers.authorization });
		res
			.writeHead(200, { 'content-type': 'application/json' })
			.end('{"id":1,"token":"t","oauthUrl":"https://x"}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const namesOf = (sb: Sandbox, name: string) =>
	[...sb.instances.values()].filter((i) => i.name === name);
const spending = (sb: Sandbox) =>
	apiCalls(sb).filter((r) => r.method === 'POST' || r.method === 'PUT');

describe('the door to the platform', () => {
	let sb: Sandbox;
	// Backoff and Retry-After take no real time: the waits the node decides are read from the clock.
	let clock: VirtualClock;
	beforeAll(async () => {
		clock = useVirtualClock();
		sb = await startSentinelSandbox();
	});
	afterAll(async () => {
		jest.restoreAllMocks();
		await sb.close();
	});

	describe('1. a redirect is an error that says where it points; nothing follows it', () => {
		let other: Awaited<ReturnType<typeof elsewhere>>;
		beforeAll(async () => {
			other = await elsewhere();
		});
		afterAll(async () => new Promise<void>((resolve) => other.server.close(() => resolve())));

		it.each([
			['Delete', deleteInstance, 'DELETE'],
			['Get', getInstance, 'GET'],
			[
				'Enable',
				{ resource: 'instance', operation: 'enable', instanceId: '={{ $json.id }}' },
				'PUT',
			],
		])(
			'%s: 301 to another host → an error naming the host only, deleted/enabled never claimed',
			async (_label, parameters, method) => {
				const id = await seedInstance(sb, `redirect ${String(_label)}`);
				sb.fail({
					method,
					path: `/instances/${id}`,
					status: 301,
					body: '',
					headers: {
						location: `${other.url}/elements/api-v2/instances/${id}?apiSecret=${encodeURIComponent(SENTINEL.clientSecret)}`,
					},
				});
				const run = await runWith(sb, parameters, [{ id }], true);
				expect(run.items).toHaveLength(1);
				const item = run.items[0].json;
				expect(item.deleted).toBeUndefined();
				expect(item.httpCode).toBe('301');
				expect(item.error).toBe(
					`Cloud Elements answered with a redirect (HTTP 301) to ${other.url}`,
				);
				expect(String(item.errorDescription)).toMatch(/does not follow redirects/);
				expect(JSON.stringify(item)).not.toContain('/elements/api-v2/instances');
				expect(other.hits).toEqual([]);
				expect(sb.instances.has(id)).toBe(true);
				expectNoSentinels(run);
			},
		);

		it('an http:// API root redirected to https:// says to change it to https://', async () => {
			const id = await seedInstance(sb, 'redirect to https');
			const host = new URL(sb.apiRoot).host;
			sb.fail({
				path: `/instances/${id}`,
				status: 301,
				body: '',
				headers: { location: `https://${host}/elements/api-v2/instances/${id}` },
			});
			const run = await runWith(sb, getInstance, [{ id }]);
			expectClearError(run.error, { httpCode: '301' });
			expect(run.error?.message).toBe(
				`Cloud Elements answered with a redirect (HTTP 301) to https://${host}`,
			);
			expect(run.error?.description).toMatch(/from http:\/\/ to https:\/\//);
		});

		it('Create: a 302 to a proxy login page is an error; the code is not lost in numbered keys, no instance is claimed', async () => {
			sb.fail({
				method: 'GET',
				path: '/instances',
				status: 302,
				contentType: 'text/html',
				body: '<html>Sign in</html>',
				headers: { location: '/sso/login' },
			});
			const run = await runWith(
				sb,
				createInstance('reuse'),
				[{ code: issueCode(sb), name: 'behind a proxy' }],
				true,
			);
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({ httpCode: '302' });
			expect(run.items[0].json.action).toBeUndefined();
			expect(Object.keys(run.items[0].json).some((key) => /^\d+$/.test(key))).toBe(false);
			expect(spending(sb)).toHaveLength(0);
		});
	});

	describe('2. a connection cut in the middle of a 2xx body after the platform acted', () => {
		it('Create: looks the instance up instead of spending the code again', async () => {
			sb.requests.length = 0;
			sb.fail({ method: 'POST', path: '/instances', drop: 'midBody' });
			const run = await runWith(sb, createInstance('reuse'), [
				{ code: issueCode(sb), name: 'cut mid-body' },
			]);
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ action: 'created', name: 'cut mid-body' });
			expect(typeof run.items[0].json.token).toBe('string');
			expect(namesOf(sb, 'cut mid-body')).toHaveLength(1);
			expect(spending(sb)).toHaveLength(1);
		});

		it('Re-Authenticate: sees the new token instead of spending the code again', async () => {
			const id = await seedInstance(sb, 'reauth cut mid-body');
			const before = sb.instances.get(id)!.token;
			sb.fail({ method: 'PUT', path: `/instances/${id}`, drop: 'midBody' });
			const run = await runWith(
				sb,
				{
					resource: 'instance',
					operation: 'reauthenticate',
					instanceId: '={{ $json.id }}',
					code: '={{ $json.code }}',
				},
				[{ id, code: issueCode(sb) }],
			);
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ action: 'reauthenticated', id });
			expect(sb.instances.get(id)!.token).not.toBe(before);
			expect(spending(sb)).toHaveLength(1);
		});
	});

	describe('3. odd 2xx bodies', () => {
		it.each([
			['a JSON null', { status: 200, body: 'null' }],
			['an empty body', { status: 200, body: '' }],
			['a 204', { status: 204 }],
			['a JSON list', { status: 200, body: '[{"id":1},{"id":2},{"id":3}]' }],
		])(
			'Get answered with %s on every try: a clear error per item (Continue On Fail: N in, N out)',
			async (_label, fault) => {
				const ids = [await seedInstance(sb, 'odd a'), await seedInstance(sb, 'odd b')];
				sb.fail({ method: 'GET', path: /^\/instances\/\d+$/, ...fault, times: 100 });
				const run = await runWith(
					sb,
					{ ...getInstance, requestOptions: { maxRetries: 0 } },
					ids.map((id) => ({ id })),
					true,
				);
				expect(run.error).toBeUndefined();
				expect(run.items).toHaveLength(2);
				for (const [i, row] of run.items.entries()) {
					expect(row.pairedItem).toEqual({ item: i });
					expect(String(row.json.error)).toMatch(
						/^Cloud Elements answered HTTP 20\d with .* where an instance was expected$/,
					);
					expect(String(row.json.error)).not.toMatch(TYPE_ERROR_WORDS);
				}
				sb.reset();
			},
		);

		it('Create answered 201 with an empty body after it acted: an unknown outcome, looked up, the instance with its ID and token', async () => {
			sb.fail({ method: 'POST', path: '/instances', status: 201, body: '', afterProcessing: true });
			const run = await runWith(sb, createInstance('reuse'), [
				{ code: issueCode(sb), name: 'empty 201' },
			]);
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({
				action: 'created',
				name: 'empty 201',
				id: expect.any(Number),
				token: expect.any(String),
			});
			expect(namesOf(sb, 'empty 201')).toHaveLength(1);
			expect(spending(sb).filter((r) => r.path.endsWith('/instances'))).toHaveLength(1);
			sb.reset();
		});
	});

	// The answer would take over 3 minutes, bytes 400 ms apart (n8n's own timeout, between bytes, never
	// fires): the run ends, with this error, only because the Timeout bounds the whole try.
	it('4. Timeout bounds the whole try: an answer dripped one byte every 400 ms fails with the Timeout error', async () => {
		const id = await seedInstance(sb, 'drip');
		sb.fail({
			method: 'GET',
			path: `/instances/${id}`,
			status: 200,
			body: JSON.stringify({ id, padding: 'x'.repeat(500) }),
			dripMs: 400,
		});
		const run = await runWith(
			sb,
			{ ...getInstance, requestOptions: { timeoutSeconds: 1, maxRetries: 0 } },
			[{ id }],
		);
		expectClearError(run.error);
		expect(run.error?.message).toBe(
			'No answer from Cloud Elements: the answer took longer than the Timeout option (1 s)',
		);
		sb.reset();
	});

	describe('5. secrets: the form that is sent is the form redacted; secrets too short to redact are refused', () => {
		it('a secret pasted with a trailing newline authenticates, and the echoed header shows none of it', async () => {
			const id = await seedInstance(sb, 'pasted');
			sb.fail({ method: 'GET', path: `/instances/${id}`, status: 400, echoRequest: true });
			const credentials = sentinelCredentials(sb);
			credentials.cloudElementsApi.userSecret = `${SENTINEL.userSecret}\r\n`;
			credentials.cloudElementsApi.organizationSecret = `  ${SENTINEL.organizationSecret}\t`;
			const run = await runNode(sb, { parameters: getInstance, items: [{ id }], credentials });
			expectClearError(run.error, { httpCode: '400' });
			expect(apiCalls(sb).at(-1)?.headers.authorization).toBe(
				`User ${SENTINEL.userSecret}, Organization ${SENTINEL.organizationSecret}`,
			);
			expectNoSentinels(run);
			const ok = await runNode(sb, { parameters: getInstance, items: [{ id }], credentials });
			expect(ok.error).toBeUndefined();
			sb.reset();
		});

		it.each([
			['cloudElementsApi', 'userSecret', 'abc', 'User Secret'],
			['cloudElementsApi', 'organizationSecret', 'dact', 'Organization Secret'],
			['infusionsoftCrmOAuth2Api', 'encryptedKey', 'http', 'Encrypted Key'],
			['infusionsoftCrmOAuth2Api', 'clientSecret', 'x', 'Client Secret'],
		] as const)(
			'a %s %s of "%s" is refused by name before any request',
			async (credential, field, value, label) => {
				const credentials = sentinelCredentials(sb);
				(credentials[credential] as IDataObject)[field] = value;
				sb.requests.length = 0;
				const run = await runNode(sb, {
					parameters: createInstance('reuse'),
					items: [{ code: issueCode(sb), name: 'short' }],
					credentials,
				});
				expect(run.error?.name).toBe('NodeOperationError');
				expect(run.error?.message).toContain(`${label} is shorter than 8 characters`);
				expect(apiCalls(sb)).toHaveLength(0);
			},
		);
	});

	it('6. Get OAuth URL: the client secret never travels in a URL', async () => {
		sb.requests.length = 0;
		const run = await runWith(sb, { resource: 'oauth', operation: 'getOAuthUrl', context: 'c' }, [
			{},
		]);
		expect(run.error).toBeUndefined();
		const [call] = apiCalls(sb);
		expect(call.method).toBe('POST');
		expect(JSON.stringify(call.query)).not.toContain(encodeURIComponent(SENTINEL.clientSecret));
		expect(call.path).not.toContain('apiSecret');
	});

	describe('7. a signed state connects or re-authenticates at most once', () => {
		it('Create under Re-Authenticate Existing: the same callback with a fresh code from another account is refused', async () => {
			const state = signedState('customer-7');
			const name = 'replayed customer';
			const first = await runWith(
				sb,
				createInstance('reauthenticate', { callbackState: '={{ $json.state }}' }),
				[{ code: issueCode(sb), name, state }],
			);
			expect(first.items[0].json.action).toBe('created');
			const instance = namesOf(sb, name)[0];
			const token = instance.token;

			sb.requests.length = 0;
			const replay = await runWith(
				sb,
				createInstance('reauthenticate'),
				[{ code: issueCode(sb), name, state }],
				true,
			);
			expect(replay.items).toHaveLength(1);
			expect(replay.items[0].json).toMatchObject({ reason: 'state-used' });
			expect(String(replay.items[0].json.error)).toContain(
				`already connected instance ${instance.id}`,
			);
			expect(sb.instances.get(instance.id)!.token).toBe(token);
			expect(spending(sb)).toHaveLength(0);
			expectNoSentinels(replay);
		});

		it('Re-Authenticate: a state that re-authenticated once cannot do it again, and another instance cannot take it either', async () => {
			const a = await seedInstance(sb, 'reauth replay a');
			const b = await seedInstance(sb, 'reauth replay b');
			const state = signedState('customer-8');
			const params = {
				resource: 'instance',
				operation: 'reauthenticate',
				instanceId: '={{ $json.id }}',
				code: '={{ $json.code }}',
			};
			const first = await runWith(sb, params, [{ id: a, code: issueCode(sb), state }]);
			expect(first.items[0].json.action).toBe('reauthenticated');
			const replay = await runWith(
				sb,
				params,
				[
					{ id: a, code: issueCode(sb), state },
					{ id: b, code: issueCode(sb), state },
				],
				true,
			);
			expect(replay.items.map((row) => row.json.reason)).toEqual(['state-used', 'state-used']);
		});

		it('a custom (unsigned) state is not remembered: the seed’s fixed state keeps working', async () => {
			const run = await runWith(
				sb,
				createInstance('create'),
				[1, 2].map((i) => ({
					code: issueCode(sb),
					name: `custom state ${i}`,
					state: 'infusionsoftcrm',
				})),
			);
			expect(run.error).toBeUndefined();
			expect(run.items.map((row) => row.json.tags)).toEqual([[], []]);
		});
	});

	// The stand-in answers none of the three look-ups before it has read all three: the executions
	// meet, each sure that the name is free, on any machine and under any load.
	it('8. three executions creating the same name at once end with exactly one instance', async () => {
		const slow = await startSentinelSandbox({ latencyMs: 40 });
		const gate = await answerGate(slow, { method: 'GET', path: '/instances', count: 3 });
		try {
			const name = 'clicked Allow three times';
			const viaGate = { ...slow, apiRoot: gate.apiRoot };
			const runs = await Promise.all(
				[0, 1, 2].map(() =>
					runWith(viaGate, createInstance('reuse'), [{ code: issueCode(slow), name }]),
				),
			);
			expect(
				apiCalls(slow)
					.slice(0, 3)
					.map((r) => r.method),
			).toEqual(['GET', 'GET', 'GET']);
			for (const run of runs) expect(run.error).toBeUndefined();
			const remaining = namesOf(slow, name);
			expect(remaining).toHaveLength(1);
			const outputs = runs.map((run) => run.items[0].json);
			expect(new Set(outputs.map((o) => o.id))).toEqual(new Set([remaining[0].id]));
			expect(outputs.filter((o) => o.action === 'created')).toHaveLength(1);
			expect(outputs.filter((o) => o.action === 'reused')).toHaveLength(2);
			// They did meet: each created, and the two newer deleted themselves.
			expect(apiCalls(slow).filter((r) => r.method === 'POST')).toHaveLength(3);
			expect(apiCalls(slow).filter((r) => r.method === 'DELETE')).toHaveLength(2);
		} finally {
			await gate.close();
			await slow.close();
		}
	});

	it('8. the same link allowed three times at once (Re-Authenticate Existing): one instance, and it remembers the callback', async () => {
		const slow = await startSentinelSandbox({ latencyMs: 40 });
		const gate = await answerGate(slow, { method: 'GET', path: '/instances', count: 3 });
		try {
			const name = 'one link, three clicks';
			const state = signedState('customer-3x');
			const viaGate = { ...slow, apiRoot: gate.apiRoot };
			const runs = await Promise.all(
				[0, 1, 2].map(() =>
					runWith(
						viaGate,
						createInstance('reauthenticate'),
						[{ code: issueCode(slow), name, state }],
						true,
					),
				),
			);
			expect(
				apiCalls(slow)
					.slice(0, 3)
					.map((r) => r.method),
			).toEqual(['GET', 'GET', 'GET']);
			const remaining = namesOf(slow, name);
			expect(remaining).toHaveLength(1);
			expect(remaining[0].tags).toEqual([expect.stringMatching(/^used-state:/)]);
			for (const run of runs) {
				const json = run.items[0].json;
				// Each click either made or found the one instance, or was refused as a used callback.
				if (json.error) expect(json.reason).toBe('state-used');
				else expect(json.id).toBe(remaining[0].id);
			}
			const again = await runWith(
				slow,
				createInstance('reauthenticate'),
				[{ code: issueCode(slow), name, state }],
				true,
			);
			expect(again.items[0].json.reason).toBe('state-used');
		} finally {
			await gate.close();
			await slow.close();
		}
	});

	describe('9. paging has a bound', () => {
		const forever = () =>
			sb.fail({
				method: 'GET',
				path: '/instances',
				status: 200,
				body: JSON.stringify([{ id: 424242, name: 'loop', element: { key: 'infusionsoftcrm' } }]),
				freshNextPageToken: true,
				times: 100_000,
			});

		it.each([
			['Get Many (Return All)', { resource: 'instance', operation: 'getAll', returnAll: true }, {}],
			['Create’s look-up', createInstance('reuse'), { name: 'never found' }],
		])(
			'%s against a platform that hands out a fresh token forever stops at once with a clear error',
			async (_label, parameters, extra) => {
				sb.requests.length = 0;
				forever();
				const run = await runWith(sb, parameters, [{ code: issueCode(sb), ...extra }]);
				expectClearError(run.error);
				expect(run.error?.message).toBe(
					'Cloud Elements kept handing out pages of instances it had already sent',
				);
				expect(apiCalls(sb).length).toBeLessThanOrEqual(3);
				expect(spending(sb)).toHaveLength(0);
				sb.reset();
			},
		);
	});

	it('10. "__proto__" in a platform answer stays out of the output’s prototype', async () => {
		const id = await seedInstance(sb, 'proto');
		sb.fail({
			method: 'GET',
			path: `/instances/${id}`,
			status: 200,
			body: `{"id":${id},"name":"proto","__proto__":{"injected":"yes"},"element":{"__proto__":{"deep":"yes"}}}`,
		});
		const run = await runNode(sb, {
			parameters: { ...getInstance },
			items: [{ id }],
			credentials: sentinelCredentials(sb),
		});
		expect(run.error).toBeUndefined();
		const json = run.items[0].json as IDataObject & { injected?: unknown };
		expect(json.injected).toBeUndefined();
		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect((json.element as IDataObject & { deep?: unknown }).deep).toBeUndefined();
		expect(Object.keys(json)).toEqual(['id', 'name', 'element']);
	});

	it('10. … also when the key is spelled with \\u escapes, and through a contact list', async () => {
		const instanceId = await seedInstance(sb, 'proto hub', ['hub'], 'infusionsoftrest');
		const escaped = '"\\u005f\\u005fproto\\u005f\\u005f"';
		sb.fail({
			method: 'GET',
			path: '/hubs/crm/contacts',
			status: 200,
			body: `[{"id":1,"given_name":"A",${escaped}:{"injected":"yes"}}]`,
		});
		const run = await runWith(
			sb,
			{
				resource: 'contact',
				operation: 'getAll',
				instance: { __rl: true, mode: 'id', value: String(instanceId) },
				limit: 1,
			},
			[{}],
		);
		expect(run.error).toBeUndefined();
		const json = run.items[0].json as IDataObject & { injected?: unknown };
		expect(json.injected).toBeUndefined();
		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect(json).toMatchObject({ id: 1, firstName: 'A' });
	});

	describe('11. Update: an empty Tags value leaves the tags alone; clearing them is explicit', () => {
		const update = (fields: IDataObject) => ({
			resource: 'instance',
			operation: 'update',
			instanceId: '={{ $json.id }}',
			updateFields: fields,
		});

		it.each(['', null, ' , '])('Tags %j with a new name: only the name changes', async (tags) => {
			const id = await seedInstance(sb, 'keep my tags', ['a', 'b']);
			const run = await runWith(sb, update({ name: 'renamed', tags: '={{ $json.tags }}' }), [
				{ id, tags },
			]);
			expect(run.error).toBeUndefined();
			expect(sb.instances.get(id)).toMatchObject({ name: 'renamed', tags: ['a', 'b'] });
			expect(apiCalls(sb).at(-1)?.body).toEqual({ name: 'renamed' });
		});

		it('Tags empty and nothing else: nothing to update, nothing sent', async () => {
			const id = await seedInstance(sb, 'untouched', ['a']);
			const run = await runWith(sb, update({ tags: '={{ $json.tags }}' }), [{ id, tags: '' }]);
			expect(run.error?.message).toBe('Nothing to update [item 0]');
			expect(apiCalls(sb)).toHaveLength(0);
		});

		it('Remove All Tags clears them', async () => {
			const id = await seedInstance(sb, 'clear me', ['a']);
			const run = await runWith(sb, update({ clearTags: true }), [{ id }]);
			expect(run.error).toBeUndefined();
			expect(sb.instances.get(id)!.tags).toEqual([]);
		});
	});

	describe('12. booleans from expressions', () => {
		it('Return All "false" applies the Limit; Succeed If Already Deleted "false" fails on a missing instance', async () => {
			for (let i = 0; i < 3; i++) await seedInstance(sb, `bool ${i}`);
			const list = await runWith(
				sb,
				{ resource: 'instance', operation: 'getAll', returnAll: '={{ $json.all }}', limit: 2 },
				[{ all: 'false' }],
			);
			expect(list.items).toHaveLength(2);
			const gone = await runWith(sb, { ...deleteInstance, ignoreMissing: '={{ $json.ignore }}' }, [
				{ id: 99999, ignore: 'false' },
			]);
			expectClearError(gone.error, { httpCode: '404' });
		});

		it.each([
			['Return All', { resource: 'instance', operation: 'getAll', returnAll: '={{ $json.v }}' }],
			['Succeed If Already Deleted', { ...deleteInstance, ignoreMissing: '={{ $json.v }}' }],
			[
				'Infusionsoft Only',
				{
					resource: 'instance',
					operation: 'getAll',
					filters: { infusionsoftOnly: '={{ $json.v }}' },
				},
			],
		])('%s: anything but true/false is refused by name', async (label, parameters) => {
			sb.requests.length = 0;
			const run = await runWith(sb, parameters, [{ id: 1, v: 'maybe' }]);
			expect(run.error?.message).toContain(`${label} must be true or false [item 0]`);
			expect(apiCalls(sb)).toHaveLength(0);
		});
	});

	describe('13. error wording', () => {
		it('a network error keeps the node’s words (n8n would swap in "The connection was aborted…")', async () => {
			const credentials = sentinelCredentials(sb);
			credentials.cloudElementsApi.baseUrl = 'http://127.0.0.1:9/elements/api-v2';
			const run = await runNode(sb, {
				parameters: { ...getInstance, requestOptions: { maxRetries: 0 } },
				items: [{ id: 1 }],
				credentials,
			});
			expectClearError(run.error);
			expect(run.error?.message).toBe('No answer from Cloud Elements: the connection was refused');
			expect(run.error?.description).toContain('ECONNREFUSED');
		});

		it('a 5 MB platform message is clipped', async () => {
			sb.fail({
				method: 'GET',
				path: '/instances/1',
				status: 400,
				body: { message: 'm'.repeat(5_000_000) },
			});
			const run = await runWith(sb, getInstance, [{ id: 1 }]);
			expectClearError(run.error, { httpCode: '400' });
			expect(run.error!.message!.length).toBeLessThan(400);
		});

		it('a negative Retry-After means the backoff, not an immediate retry', async () => {
			const id = await seedInstance(sb, 'negative retry-after');
			sb.fail({ method: 'GET', path: `/instances/${id}`, status: 429, retryAfter: -1, times: 3 });
			// The pacer's waits (the rate learned from the 429s) are told apart from the backoff.
			const turn = RequestPacer.prototype.turn;
			const pacerTurns = jest
				.spyOn(RequestPacer.prototype, 'turn')
				.mockImplementation(async function (this: RequestPacer, cancel) {
					await clock.during('pacer', async () => await turn.call(this, cancel));
				});
			const run = await clock
				.during('negative Retry-After', async () => await runWith(sb, getInstance, [{ id }]))
				.finally(() => pacerTurns.mockRestore());
			expect(run.error).toBeUndefined();
			expect(apiCalls(sb)).toHaveLength(4);
			// The backoff before try n + 2: from half of 500 × 2^n to all of it; an immediate retry waits nothing.
			const waits = clock.sleeps
				.filter((sleep) => sleep.during === 'negative Retry-After')
				.map((sleep) => sleep.ms);
			expect(waits).toHaveLength(3);
			waits.forEach((ms, n) => {
				expect(ms).toBeGreaterThanOrEqual(250 * 2 ** n);
				expect(ms).toBeLessThanOrEqual(500 * 2 ** n);
			});
		});
	});

	describe('14. Parse Callback', () => {
		const parse = {
			resource: 'oauth',
			operation: 'parseCallback',
			callback: '={{ $json.query }}',
			stateCheck: 'none',
		};

		it('takes a numeric code (a query object built by an expression)', async () => {
			const run = await runWith(sb, parse, [{ query: { code: 4242424242, state: 'x' } }]);
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.code).toBe('4242424242');
		});

		it.each(['   ', '\t\n'])('refuses a code of blanks (%j) as no code', async (code) => {
			const run = await runWith(sb, parse, [{ query: { code, state: 'x' } }], true);
			expect(run.items[0].json).toMatchObject({ reason: 'no-code' });
		});
	});

	describe('the wait between tries', () => {
		it('is the Retry-After asked, and a cancelled execution ends it at once, sending nothing more', async () => {
			const id = await seedInstance(sb, 'cancelled while waiting');
			sb.fail({ method: 'GET', path: `/instances/${id}`, status: 503, retryAfter: 30, times: 5 });
			const stop = new AbortController();
			const cancelling = cancelExecutionOn(stop.signal);
			// The user presses Stop as the node starts to wait (the wait itself is the virtual clock's).
			const sleep = jest.spyOn(REAL_CLOCK, 'sleep');
			const wait = sleep.getMockImplementation()!;
			sleep.mockImplementationOnce(async (ms, cancel) => {
				stop.abort();
				await wait(ms, cancel);
			});
			try {
				const before = clock.now();
				const run = await clock.during(
					'cancelled wait',
					async () => await runWith(sb, getInstance, [{ id }]),
				);
				expect(run.error?.message).toBe('The execution was cancelled');
				expect(apiCalls(sb)).toHaveLength(1);
				const waits = clock.sleeps.filter((s) => s.during === 'cancelled wait');
				expect(waits.map((s) => s.ms)).toEqual([30_000]);
				// Ended at once: the clock never got to the end of the 30 s.
				expect(clock.now() - before).toBeLessThan(30_000);
			} finally {
				cancelling.mockRestore();
			}
		});
	});

	describe('credentials', () => {
		it('a selected credential that cannot be read fails with n8n’s own error, not as "not set"', async () => {
			const run = await runNode(sb, {
				parameters: { resource: 'oauth', operation: 'getOAuthUrl', context: 'c' },
				credentials: { cloudElementsApi: sentinelCredentials(sb).cloudElementsApi } as never,
			});
			expect(run.error?.message).toMatch(/No credentials of type "infusionsoftCrmOAuth2Api"/);
			expect(run.error?.message).not.toMatch(/not set/);
		});

		it('Parse Callback with no state check needs neither credential', async () => {
			const run = await runNode(sb, {
				parameters: {
					resource: 'oauth',
					operation: 'parseCallback',
					callback: '={{ $json.query }}',
					stateCheck: 'none',
				},
				items: [{ query: { code: 'c0de-c0de', state: 'x' } }],
				nodeCredentials: [],
				credentials: {} as never,
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.code).toBe('c0de-c0de');
		});
	});
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { apiCalls, credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';

const getOAuthUrl = (extra: Record<string, unknown> = {}) => ({
	resource: 'oauth',
	operation: 'getOAuthUrl',
	...extra,
});

describe('Get OAuth URL in a workflow', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	it('asks the platform for the infusionsoftcrm URL with the app’s fields and the account header', async () => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl({
				state: 'customer-42',
				additionalFields: { siteAddress: 'https://example.com' },
			}),
		});
		expect(run.error).toBeUndefined();
		const [call] = apiCalls(sb);
		// POST keeps the client secret out of the URL (proxies and access logs keep URLs).
		expect(call.method).toBe('POST');
		expect(call.path).toBe('/elements/api-v2/elements/infusionsoftcrm/oauth/url');
		expect(call.query).toEqual({});
		expect(call.headers['content-type']).toBe('application/json');
		expect(call.body).toEqual({
			apiKey: EXAMPLE.clientId,
			apiSecret: EXAMPLE.clientSecret,
			callbackUrl: EXAMPLE.callbackUrl,
			state: 'customer-42',
			siteAddress: 'https://example.com',
		});
		expect(call.headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
		);

		expect(run.items).toHaveLength(1);
		const out = run.items[0].json;
		expect(out.element).toBe('infusionsoftcrm');
		expect(out.state).toBe('customer-42');
		expect(out.callbackUrl).toBe(EXAMPLE.callbackUrl);
		const url = new URL(out.oauthUrl as string);
		expect(url.searchParams.get('client_id')).toBe(EXAMPLE.clientId);
		expect(url.searchParams.get('redirect_uri')).toBe(EXAMPLE.callbackUrl);
		expect(url.searchParams.get('state')).toBe('customer-42');
		expectNoSecrets(run);
	});

	it.each([404, 405])(
		'never falls back to GET with the client secret in the URL: a refused POST (%i) is an error that says what to check',
		async (status) => {
			sb.fail({ method: 'POST', path: '/elements/infusionsoftcrm/oauth/url', status });
			const run = await runNode(sb, { parameters: getOAuthUrl({ state: 'customer-42' }) });
			expect(run.error?.httpCode).toBe(String(status));
			expect(run.error?.description).toMatch(/API Root of the Cloud Elements API credential/);
			if (status === 405) expect(run.error?.description).toMatch(/never asks with GET/);
			expect(apiCalls(sb).map((c) => c.method)).toEqual(['POST']);
			expect(
				sb.requests.some((r) => JSON.stringify(r.query ?? {}).includes(EXAMPLE.clientSecret)),
			).toBe(false);
			expectNoSecrets(run);
		},
	);

	it('a 400 is the platform’s answer: one POST, no other try', async () => {
		sb.fail({ method: 'POST', path: '/elements/infusionsoftcrm/oauth/url', status: 400 });
		const run = await runNode(sb, { parameters: getOAuthUrl({ state: 'customer-42' }) });
		expect(run.error?.httpCode).toBe('400');
		expect(apiCalls(sb).map((c) => c.method)).toEqual(['POST']);
	});

	it('resolves expressions per item and pairs every output with its item', async () => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl({ state: '={{ "customer-" + $json.id }}' }),
			items: [{ id: 1 }, { id: 2 }, { id: 3 }],
		});
		expect(run.items.map((i) => i.json.state)).toEqual(['customer-1', 'customer-2', 'customer-3']);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(apiCalls(sb)).toHaveLength(3);
	});

	it('reads a plain {{ $json.… }} state as n8n evaluates it, item by item', async () => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl({ state: '={{ $json.customer.id }}' }),
			items: [
				{ customer: { id: 'c-1' } },
				{ customer: { id: 42 } },
				{ customer: { id: '  c-3 ' } },
				{ customer: {} },
				{ customer: { id: 'c-5' } },
			],
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		// No value: no Custom State, so the node signs one, as for an empty field.
		const states = run.items.map((i) => i.json.state);
		expect(states).toEqual(['c-1', '42', 'c-3', expect.stringMatching(/^n8nis1\./), 'c-5']);
		expect(apiCalls(sb).map((c) => (c.body as { state?: string }).state)).toEqual(
			expect.arrayContaining(states),
		);
		expect(apiCalls(sb)).toHaveLength(5);
	});

	it.each([
		['with a trailing slash', (root: string) => `${root}/`],
		['as the bare host', (root: string) => root.replace('/elements/api-v2', '')],
		['as the bare host with a slash', (root: string) => `${root.replace('/elements/api-v2', '')}/`],
	])('works with the API root %s', async (_, form) => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl(),
			credentials: credentialsFor(sb, { account: { baseUrl: form(sb.apiRoot) } }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.oauthUrl).toContain('/app/oauth/authorize');
	});

	it('explains a 401 without showing any secret', async () => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl(),
			credentials: credentialsFor(sb, { account: { userSecret: 'wR0ng/User+Secret==' } }),
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(/^Cloud Elements: /);
		expect((run.error as { description?: string }).description).toMatch(
			/User Secret and Organization Secret/,
		);
		expect((run.error as { httpCode?: string }).httpCode).toBe('401');
		expectNoSecrets(run, ['wR0ng/User+Secret==']);
	});

	it('gives a clear error for an HTML gateway page and an empty body', async () => {
		sb.fail({ path: '/elements', status: 502, html: true, times: 10 });
		const html = await runNode(sb, {
			parameters: getOAuthUrl({ requestOptions: { maxRetries: 1, maxRetryWaitSeconds: 5 } }),
		});
		expect(html.error?.message).toBe(
			'Cloud Elements answered HTTP 502 with an HTML page (a proxy or gateway error) (after 1 retry)',
		);
		expect(apiCalls(sb)).toHaveLength(2);
		expectNoSecrets(html);

		sb.reset();
		sb.fail({ path: '/elements', status: 400, body: '' });
		const empty = await runNode(sb, { parameters: getOAuthUrl() });
		expect(empty.error?.message).toBe('Cloud Elements answered HTTP 400 with an empty body');
		expect((empty.error as { description?: string }).description).toMatch(
			/Client ID, Client Secret and Callback URL/,
		);
		expectNoSecrets(empty);
	});

	it('names the credential fields that are missing, before any request', async () => {
		const run = await runNode(sb, {
			parameters: getOAuthUrl(),
			credentials: credentialsFor(sb, { app: { clientId: '', callbackUrl: 'not-a-url' } }),
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'The Infusionsoft CRM OAuth2 API credential is unusable: Client ID is empty; Callback URL is not an http(s) URL',
		);
		expect(apiCalls(sb)).toHaveLength(0);
	});

	it('with Continue On Fail, turns a failed item into an error item and goes on', async () => {
		sb.fail({ path: '/elements', status: 500, body: { requestId: 'r-1', message: 'Boom' } });
		const run = await runNode(sb, {
			parameters: getOAuthUrl({ state: '={{ $json.s }}', requestOptions: { concurrency: 1 } }),
			items: [{ s: 'a' }, { s: 'b' }, { s: 'c' }],
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items[0].json.error).toBe('Cloud Elements: Boom');
		expect(run.items[0].json.httpCode).toBe('500');
		expect(run.items[0].json.errorDescription).toMatch(/Request ID: r-1/);
		expect(run.items.slice(1).map((i) => i.json.state)).toEqual(['b', 'c']);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expectNoSecrets(run);
	});
});

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
import type { IDataObject } from 'n8n-workflow';

import { CloudElementsApi } from '../../../../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../../../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../../../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { EXAMPLE, startSandbox, type Sandbox } from '../../../../../sandbox';
import { chain, itemsNode, manualTrigger, node, runWorkflow } from '../../../../harness';
import {
	credentialsFor,
	NODE_TYPE,
	runNode,
	SECRETS,
	type Credentials,
} from '../../../../support/infusionsoftRun';
import { clickOnConsentPage } from './consent';

const SECOND_APP = { clientId: 'second4app9client7id', clientSecret: 'sEcond/App+Secret=' };

/** Get OAuth URL in a workflow, for one customer. */
async function getOAuthUrl(
	sb: Sandbox,
	parameters: IDataObject = {},
	credentials = credentialsFor(sb),
) {
	const run = await runNode(sb, {
		parameters: {
			resource: 'oauth',
			operation: 'getOAuthUrl',
			context: '={{ $json.customerId }}',
			...parameters,
		},
		items: [{ customerId: 'customer-42' }],
		credentials,
	});
	expect(run.error).toBeUndefined();
	return run.items[0].json;
}

/** The second half: the callback arrives (as an item), Parse Callback → Create Instance. */
async function receiveCallback(
	item: IDataObject,
	{
		parse = {},
		credentials,
		continueOnFail = false,
	}: { parse?: IDataObject; credentials: Credentials; continueOnFail?: boolean },
) {
	const result = await runWorkflow({
		nodeTypes: { [NODE_TYPE]: InfusionsoftCrm },
		credentialTypes: [CloudElementsApi, InfusionsoftCrmOAuth2Api],
		credentials: credentials as unknown as Record<string, IDataObject> as never,
		workflow: chain(
			manualTrigger(),
			itemsNode([item], 'Callback'),
			node({
				name: 'Parse Callback',
				type: NODE_TYPE,
				parameters: { resource: 'oauth', operation: 'parseCallback', ...parse },
				credentials: ['cloudElementsApi', 'infusionsoftCrmOAuth2Api'],
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			}),
			node({
				name: 'Create Instance',
				type: NODE_TYPE,
				parameters: {
					resource: 'instance',
					operation: 'create',
					code: '={{ $json.code }}',
					name: "={{ 'Infusionsoft – ' + $json.context }}",
					tags: '={{ $json.context }}, provisioned-by-n8n',
				},
				credentials: ['cloudElementsApi', 'infusionsoftCrmOAuth2Api'],
			}),
		),
	});
	const visible = JSON.stringify({
		outputs: [result.outputOf('Parse Callback'), result.outputOf('Create Instance')],
		error: result.error,
		logs: result.logText,
	});
	return Object.assign(result, { visible });
}

describe('the OAuth round trip through n8n and the stand-in’s consent page', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({
			apps: [
				{
					clientId: EXAMPLE.clientId,
					clientSecret: EXAMPLE.clientSecret,
					name: 'n8n (example app)',
				},
				SECOND_APP,
			],
		});
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());
	afterEach(() => jest.restoreAllMocks());

	it('Get OAuth URL signs a state with the context; its output says when it expires', async () => {
		const before = Date.now();
		const out = await getOAuthUrl(sb);
		expect(out.state).toMatch(/^n8nis1\./);
		expect(out.context).toBe('customer-42');
		const expiresAt = Date.parse(out.stateExpiresAt as string);
		expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
		expect(new URL(out.oauthUrl as string).searchParams.get('state')).toBe(out.state);
		// The signed state is sent to the platform like any state, in the body of a POST: no secret in the URL.
		const call = sb.requests.find((r) => r.path.endsWith('/oauth/url'));
		expect(call?.method).toBe('POST');
		expect(call?.query).toEqual({});
		expect(call?.body).toMatchObject({
			state: out.state,
			apiKey: EXAMPLE.clientId,
			apiSecret: EXAMPLE.clientSecret,
		});
	});

	it('full trip: Get OAuth URL → Allow → Parse Callback → Create Instance', async () => {
		const out = await getOAuthUrl(sb);
		const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'allow');
		expect(location.startsWith(`${EXAMPLE.callbackUrl}?code=`)).toBe(true);

		const run = await receiveCallback(
			{ url: location },
			{ parse: { callback: '={{ $json.url }}' }, credentials: credentialsFor(sb) },
		);
		expect(run.error).toBeUndefined();
		const parsed = run.outputOf('Parse Callback')[0].json;
		expect(parsed).toEqual({
			code: new URL(location).searchParams.get('code'),
			context: 'customer-42',
			element: 'infusionsoftcrm',
			state: out.state,
			issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		const created = run.outputOf('Create Instance')[0].json;
		// The instance remembers the callback by a tag derived from its state (see the replay tests).
		expect(created).toMatchObject({
			action: 'created',
			name: 'Infusionsoft – customer-42',
			tags: ['customer-42', 'provisioned-by-n8n', expect.stringMatching(/^used-state:[\w-]{16}$/)],
		});
		expect(created.token).toEqual(expect.any(String));
		expect([...sb.instances.values()].map((i) => i.name)).toEqual(['Infusionsoft – customer-42']);
		for (const secret of SECRETS) expect(run.visible).not.toContain(secret);
	});

	it('takes the query object of a Webhook node (the default {{ $json.query }}) too', async () => {
		const out = await getOAuthUrl(sb, { context: '={{ { customerId: 42, plan: "gold" } }}' });
		const location = new URL(await clickOnConsentPage(sb, out.oauthUrl as string, 'allow'));
		const query = Object.fromEntries(location.searchParams);

		const run = await receiveCallback(
			{ query, headers: {}, body: {} },
			{ credentials: credentialsFor(sb) },
		);
		expect(run.error).toBeUndefined();
		expect(run.outputOf('Parse Callback')[0].json.context).toEqual({
			customerId: 42,
			plan: 'gold',
		});
		expect(sb.instances.size).toBe(1);
	});

	it('denial: Parse Callback stops the flow with the reason and Infusionsoft’s words; no instance', async () => {
		const out = await getOAuthUrl(sb);
		const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'deny');

		const run = await receiveCallback(
			{ url: location },
			{ parse: { callback: '={{ $json.url }}' }, credentials: credentialsFor(sb) },
		);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Callback refused (denied): The user did not grant access (access_denied) [item 0]',
		);
		expect((run.error as { description?: string }).description).toMatch(
			/^Infusionsoft says: The user denied access\. /,
		);
		expect(run.executedNodes).not.toContain('Create Instance');
		expect(sb.instances.size).toBe(0);
	});

	it('denial with Continue On Fail: an error item the workflow can route to a notification', async () => {
		const out = await getOAuthUrl(sb);
		const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'deny');
		const run = await receiveCallback(
			{ url: location },
			{
				parse: { callback: '={{ $json.url }}' },
				credentials: credentialsFor(sb),
				continueOnFail: true,
			},
		);
		expect(run.outputOf('Parse Callback')[0].json).toMatchObject({
			error: 'Callback refused (denied): The user did not grant access (access_denied) [item 0]',
		});
	});

	describe('refuses a callback whose state is', () => {
		async function allowed(appCredentials?: Credentials) {
			const out = await getOAuthUrl(sb, {}, appCredentials);
			const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'allow');
			return { out, location: new URL(location) };
		}

		async function expectRefused(url: URL, reason: string, parse: IDataObject = {}) {
			const code = url.searchParams.get('code') ?? '';
			const run = await receiveCallback(
				{ url: url.toString() },
				{ parse: { callback: '={{ $json.url }}', ...parse }, credentials: credentialsFor(sb) },
			);
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toMatch(new RegExp(`^Callback refused \\(${reason}\\): `));
			expect(run.executedNodes).not.toContain('Create Instance');
			expect(sb.instances.size).toBe(0);
			// The code is still unused and valid, and nothing shows it or the state.
			expect(code).not.toBe('');
			expect(run.visible).not.toContain(code);
			expect(JSON.stringify(run.error)).not.toContain(url.searchParams.get('state') ?? '');
			return run;
		}

		it('forged: another context spliced in, the signature kept', async () => {
			const { location } = await allowed();
			const [, payload, signature] = (location.searchParams.get('state') ?? '').split('.');
			const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
			claims.c = 'customer-666';
			location.searchParams.set(
				'state',
				`n8nis1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
			);
			await expectRefused(location, 'bad-signature');
		});

		it('expired: the callback comes 11 minutes after the URL was made', async () => {
			const { location } = await allowed();
			const now = Date.now();
			jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
			const run = await expectRefused(location, 'expired');
			expect(run.error?.message).toMatch(
				/accepts at most 10 min \(Max State Age\)|valid for 10 min/,
			);
		});

		it('reused for another app: a state from the second app’s flow, checked with the first app', async () => {
			const second = credentialsFor(sb, { app: SECOND_APP });
			const { location } = await allowed(second);
			await expectRefused(location, 'other-app');
		});

		it('a plain custom state where a signed one is expected', async () => {
			const out = await getOAuthUrl(sb, { state: 'customer-42' });
			const location = new URL(await clickOnConsentPage(sb, out.oauthUrl as string, 'allow'));
			const run = await expectRefused(location, 'malformed');
			expect(run.error?.message).toMatch(/not a signed state from Get OAuth URL/);
		});
	});

	it('a plain custom state still works: sent as is, checked with Expect Exact Value', async () => {
		const out = await getOAuthUrl(sb, { state: 'customer-42' });
		expect(out).toMatchObject({ state: 'customer-42', context: null, stateExpiresAt: null });
		const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'allow');
		expect(new URL(location).searchParams.get('state')).toBe('customer-42');

		const run = await receiveCallback(
			{ url: location },
			{
				parse: { callback: '={{ $json.url }}', stateCheck: 'exact', expectedState: 'customer-42' },
				credentials: credentialsFor(sb),
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.outputOf('Parse Callback')[0].json).toMatchObject({
			state: 'customer-42',
			context: null,
			issuedAt: null,
		});
		expect(sb.instances.size).toBe(1);

		const wrong = await receiveCallback(
			{ url: location },
			{
				parse: { callback: '={{ $json.url }}', stateCheck: 'exact', expectedState: 'customer-43' },
				credentials: credentialsFor(sb),
			},
		);
		expect(wrong.error?.message).toMatch(/^Callback refused \(state-mismatch\)/);
	});

	it('input errors name the item: no callback, an oversized context, a bad lifetime', async () => {
		const noCallback = await receiveCallback({}, { credentials: credentialsFor(sb) });
		expect(noCallback.error?.message).toBe(
			'The callback must be a URL, a query string or a query object [item 0]',
		);

		const big = await runNode(sb, {
			parameters: { resource: 'oauth', operation: 'getOAuthUrl', context: 'x'.repeat(2000) },
		});
		expect(big.error?.message).toBe('The context is too long: at most 1024 bytes as JSON [item 0]');

		const lifetime = await runNode(sb, {
			parameters: {
				resource: 'oauth',
				operation: 'getOAuthUrl',
				additionalFields: { stateLifetimeMinutes: 0 },
			},
		});
		expect(lifetime.error?.message).toBe(
			'State Valid For (Minutes) must be a whole number from 1 to 43200 [item 0]',
		);
		expect(sb.requests.filter((r) => r.path.endsWith('/oauth/url'))).toHaveLength(0);
	});
});

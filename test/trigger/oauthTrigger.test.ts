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
import { NodeConnectionTypes, type IConnections, type IDataObject, type INode } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { InfusionsoftCrmOAuth2Api } from '../../credentials/InfusionsoftCrmOAuth2Api.credentials';
import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { InfusionsoftCrmOAuthTrigger } from '../../nodes/InfusionsoftCrmOAuthTrigger/InfusionsoftCrmOAuthTrigger.node';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { clickOnConsentPage } from '../nodes/InfusionsoftCrm/actions/oauth/consent';
import { PassThrough } from '../support/passThrough';
import {
	credentialsFor,
	NODE_TYPE,
	runNode,
	SECRETS,
	type Credentials,
} from '../support/infusionsoftRun';
import { startWebhookServer, type WebhookRun, type WebhookServer } from './webhookServer';

const TRIGGER_TYPE = 'n8n-nodes-infusionsoft-crm.infusionsoftCrmOAuthTrigger';
const PASS_THROUGH_TYPE = 'n8n-nodes-test.passThrough';
const SECOND_APP = { clientId: 'second4app9client7id', clientSecret: 'sEcond/App+Secret=' };

const node = (spec: Partial<INode> & Pick<INode, 'name' | 'type'>): INode => ({
	id: spec.name,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	...spec,
});

function workflow(triggerParameters: IDataObject) {
	const nodes: INode[] = [
		node({
			name: 'OAuth Callback',
			type: TRIGGER_TYPE,
			webhookId: '5b0e9f3e-3c4a-4f5e-9d1a-1c2b3a4d5e6f',
			parameters: { path: 'infusionsoft-crm/callback', ...triggerParameters },
			credentials: { infusionsoftCrmOAuth2Api: { id: 'app', name: 'Infusionsoft app' } },
		}),
		node({
			name: 'Create Instance',
			type: NODE_TYPE,
			parameters: {
				resource: 'instance',
				operation: 'create',
				code: '={{ $json.code }}',
				name: "={{ 'Infusionsoft – ' + $json.context }}",
				tags: 'customer',
			},
			credentials: {
				cloudElementsApi: { id: 'ce', name: 'Cloud Elements' },
				infusionsoftCrmOAuth2Api: { id: 'app', name: 'Infusionsoft app' },
			},
		}),
		node({ name: 'Notify', type: PASS_THROUGH_TYPE }),
	];
	const connections: IConnections = {
		'OAuth Callback': {
			main: [
				[{ node: 'Create Instance', type: NodeConnectionTypes.Main, index: 0 }],
				[{ node: 'Notify', type: NodeConnectionTypes.Main, index: 0 }],
			],
		},
	};
	return { nodes, connections };
}

const outputOf = (run: WebhookRun, name: string) =>
	run.run?.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? [];

describe('OAuth Callback Trigger, served like an n8n webhook, after the stand-in’s consent page', () => {
	let sb: Sandbox;
	let server: WebhookServer;
	let credentials: Credentials;
	let staticData: IDataObject;

	async function serve(triggerParameters: IDataObject = {}) {
		await server?.close();
		server = await startWebhookServer({
			nodeTypes: {
				[TRIGGER_TYPE]: new InfusionsoftCrmOAuthTrigger(),
				[NODE_TYPE]: new InfusionsoftCrm(),
				[PASS_THROUGH_TYPE]: new PassThrough(),
			},
			credentialTypes: [new CloudElementsApi(), new InfusionsoftCrmOAuth2Api()],
			credentials: {},
			trigger: 'OAuth Callback',
			// One workflow's static data across its requests, as n8n keeps it.
			staticData: (staticData = {}),
			...workflow(triggerParameters),
		});
		// The production URL is the callback URL of the app credential, as the node's notice says.
		credentials = credentialsFor(sb, { app: { callbackUrl: server.productionUrl } });
		server.setCredentials(credentials as never);
	}

	/** Get OAuth URL in a workflow, then the user's browser on the consent page: the redirect's URL. */
	async function authorize(
		decision: 'allow' | 'deny',
		parameters: IDataObject = {},
		app = credentials,
	) {
		const run = await runNode(sb, {
			parameters: {
				resource: 'oauth',
				operation: 'getOAuthUrl',
				context: '={{ $json.customerId }}',
				...parameters,
			},
			items: [{ customerId: 'customer-42' }],
			credentials: app,
		});
		expect(run.error).toBeUndefined();
		return new URL(await clickOnConsentPage(sb, run.items[0].json.oauthUrl as string, decision));
	}

	/** The browser follows the redirect to the trigger; returns the page and the run it started. */
	async function land(location: URL) {
		const page = await fetch(location);
		const html = await page.text();
		await server.settled();
		return { page, html, run: server.runs.at(-1) };
	}

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
	afterAll(async () => {
		await server?.close();
		await sb.close();
	});
	beforeEach(async () => {
		sb.reset();
		await serve();
	});
	afterEach(() => jest.restoreAllMocks());

	it('its Production URL is <base>/webhook/<path>, as n8n-core computes it', () => {
		expect(server.productionUrl).toBe(`${server.url}/webhook/infusionsoft-crm/callback`);
	});

	it('Allow: a "connecting" page for the browser, and the workflow creates the instance', async () => {
		const location = await authorize('allow');
		expect(location.origin + location.pathname).toBe(server.productionUrl);
		const code = location.searchParams.get('code')!;
		const state = location.searchParams.get('state')!;

		const { page, html, run } = await land(location);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
		expect(page.headers.get('referrer-policy')).toBe('no-referrer');
		expect(page.headers.get('cache-control')).toBe('no-store');
		expect(html).toContain('<h1>Thank you</h1>');
		expect(html).toContain('Your Infusionsoft account is being connected');
		expect(html).not.toContain(code);
		expect(html).not.toContain(state);
		expect(html).not.toMatch(/<script/i);

		expect(run?.executedNodes).toEqual(['OAuth Callback', 'Create Instance']);
		expect(run?.run?.status).toBe('success');
		expect(outputOf(run!, 'OAuth Callback')[0].json).toEqual({
			code,
			context: 'customer-42',
			element: 'infusionsoftcrm',
			state,
			issuedAt: expect.stringMatching(/^\d{4}-/),
			query: { code, state },
		});
		expect(outputOf(run!, 'Create Instance')[0].json).toMatchObject({
			action: 'created',
			name: 'Infusionsoft – customer-42',
		});
		expect([...sb.instances.values()].map((i) => i.name)).toEqual(['Infusionsoft – customer-42']);
		expect(JSON.stringify(run?.run)).not.toContain(EXAMPLE.clientSecret);
		for (const secret of SECRETS) expect(html).not.toContain(secret);
	});

	it('the same callback again (a reload of the page): "Already received", nothing run again', async () => {
		const location = await authorize('allow');
		const first = await land(location);
		expect(first.html).toContain('<h1>Thank you</h1>');
		expect(server.runs).toHaveLength(1);

		const again = await land(location);
		expect(again.page.status).toBe(409);
		expect(again.html).toContain('<h1>Already received</h1>');
		expect(again.html).not.toContain('Thank you');
		expect(server.runs.at(-1)?.run).toBeUndefined();
		expect([...sb.instances.values()]).toHaveLength(1);

		// Only hashes are remembered.
		const memory = JSON.stringify(staticData);
		expect(memory).toMatch(/code:[0-9a-f]{64}/);
		expect(memory).not.toContain(location.searchParams.get('code')!);
	});

	it('Deny: a page that says so, and the second output gets the reason and the context, never an instance', async () => {
		const location = await authorize('deny');
		const { page, html, run } = await land(location);
		expect(page.status).toBe(200);
		expect(html).toContain('<h1>Access not granted</h1>');
		expect(html).not.toContain('The user denied access'); // provider text is not reflected

		expect(run?.executedNodes).toEqual(['OAuth Callback', 'Notify']);
		expect(outputOf(run!, 'Notify')[0].json).toEqual({
			reason: 'denied',
			message: 'The user did not grant access (access_denied)',
			error: 'access_denied',
			errorDescription: 'The user denied access',
			context: 'customer-42',
			issuedAt: expect.any(String),
			query: {
				error: 'access_denied',
				error_description: 'The user denied access',
				state: location.searchParams.get('state'),
			},
		});
		expect(sb.instances.size).toBe(0);
	});

	describe('a bad state: an "invalid link" page, the second output, no instance, the code nowhere', () => {
		async function expectInvalid(location: URL, reason: string) {
			const code = location.searchParams.get('code')!;
			const { page, html, run } = await land(location);
			expect(page.status).toBe(400);
			expect(html).toContain('<h1>This link cannot be used</h1>');
			expect(run?.executedNodes).toEqual(['OAuth Callback', 'Notify']);
			const item = outputOf(run!, 'Notify')[0].json;
			expect(item).toMatchObject({ reason, error: null, errorDescription: null });
			expect(item).not.toHaveProperty('context');
			expect(item.query).not.toHaveProperty('code');
			expect(JSON.stringify(run?.run)).not.toContain(code);
			expect(html).not.toContain(code);
			expect(sb.instances.size).toBe(0);
			return item;
		}

		it('forged (context changed, signature kept)', async () => {
			const location = await authorize('allow');
			const [, payload, signature] = location.searchParams.get('state')!.split('.');
			const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
			claims.c = 'customer-666';
			location.searchParams.set(
				'state',
				`n8nis1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
			);
			const item = await expectInvalid(location, 'bad-signature');
			expect(item.message).toMatch(/altered or forged/);
		});

		it('expired (the user comes back 11 minutes later)', async () => {
			const location = await authorize('allow');
			const now = Date.now();
			jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
			await expectInvalid(location, 'expired');
		});

		it('issued for another app', async () => {
			const second = credentialsFor(sb, {
				app: { ...SECOND_APP, callbackUrl: server.productionUrl },
			});
			await expectInvalid(await authorize('allow', {}, second), 'other-app');
		});

		it('a plain custom state where a signed one is expected', async () => {
			await expectInvalid(await authorize('allow', { state: 'customer-42' }), 'malformed');
		});

		it('no state at all, or a repeated code', async () => {
			const location = await authorize('allow');
			location.searchParams.delete('state');
			await expectInvalid(location, 'no-state');

			const twice = await authorize('allow');
			twice.searchParams.append('code', 'second-code');
			await expectInvalid(twice, 'bad-callback');
		});
	});

	it('a plain custom state with Expect Exact Value creates the instance', async () => {
		await serve({ stateCheck: 'exact', expectedState: 'customer-42' });
		const { page, run } = await land(await authorize('allow', { state: 'customer-42' }));
		expect(page.status).toBe(200);
		expect(outputOf(run!, 'OAuth Callback')[0].json).toMatchObject({
			state: 'customer-42',
			context: null,
			issuedAt: null,
		});
		expect(sb.instances.size).toBe(1);
	});

	it('a request that is not a callback gets a page and starts nothing', async () => {
		const { page, html } = await land(new URL(server.productionUrl));
		expect(page.status).toBe(400);
		expect(html).toContain('This address receives the answer of Infusionsoft');
		expect(server.runs.at(-1)?.response.workflowData).toBeUndefined();
	});

	it('custom page texts are shown as plain text: no HTML gets through', async () => {
		await serve({
			pageTexts: {
				authorizedTitle: 'Danke! <script>alert(1)</script>',
				authorizedMessage: 'Line "one"\nLine <b>two</b>',
			},
		});
		const { html } = await land(await authorize('allow'));
		expect(html).toContain('<h1>Danke! &#60;script&#62;alert(1)&#60;/script&#62;</h1>');
		expect(html).toContain('<p>Line &#34;one&#34;<br>Line &#60;b&#62;two&#60;/b&#62;</p>');
		expect(html).not.toMatch(/<script|<b>/);
	});

	describe('activation checks that callbacks can be verified', () => {
		it('passes with a complete credential', async () => {
			await expect(server.activate()).resolves.toBe(true);
		});

		it('fails with a clear message when the Client Secret is empty, and a callback then fails the same way', async () => {
			server.setCredentials({
				...credentials,
				infusionsoftCrmOAuth2Api: { ...credentials.infusionsoftCrmOAuth2Api, clientSecret: '' },
			} as never);
			await expect(server.activate()).rejects.toThrow(
				'The Infusionsoft CRM OAuth2 API credential is unusable: Client Secret is empty',
			);
			const { page } = await land(new URL(`${server.productionUrl}?code=abc&state=def`));
			expect(page.status).toBe(500);
			expect(server.errors.at(-1)?.message).toMatch(/Client Secret is empty/);
		});

		it('fails for Expect Exact Value without a value', async () => {
			await serve({ stateCheck: 'exact', expectedState: '' });
			await expect(server.activate()).rejects.toThrow('Expected State is empty');
		});
	});

	it('a user who comes back within the Max State Age (9 minutes later) is connected', async () => {
		const location = await authorize('allow');
		const now = Date.now();
		jest.spyOn(Date, 'now').mockReturnValue(now + 9 * 60_000);
		const { page } = await land(location);
		expect(page.status).toBe(200);
		expect(sb.instances.size).toBe(1);
	});
});

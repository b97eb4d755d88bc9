import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import {
	changes,
	exampleWorkflow,
	instancesOf,
	LEGACY_KEYS,
	outputOf,
	REST_KEYS,
	runFrom,
	serveCallbacks,
	type CallbackHalf,
} from '../examples/exampleSupport';

/**
 * examples/provisioning-flow.json (Keap REST links) and provisioning-flow-legacy.json (the
 * same link for the legacy element), run as they are through n8n's engine: the URL half from
 * "New customer", the customer's click on the stand-in's consent page, the callback half
 * behind the OAuth Callback Trigger on a real webhook.
 */
const provisioning = exampleWorkflow('provisioning-flow.json');
const legacyLink = exampleWorkflow('provisioning-flow-legacy.json');
const TRIGGER = 'Infusionsoft OAuth Callback';
const CREATED = [
	TRIGGER,
	'Re-authorization link?',
	'Create Instance',
	'Store instance ID and token',
];

describe('examples/provisioning-flow.json, run as it is', () => {
	let sb: Sandbox;
	let callbacks: CallbackHalf;

	beforeAll(async () => {
		sb = await startSandbox();
		callbacks = await serveCallbacks(provisioning, TRIGGER, sb);
	});
	afterAll(async () => {
		await callbacks.close();
		await sb.close();
	});
	beforeEach(() => sb.reset());

	/** The URL half of a workflow: the link for the customer, checked; returns the oauthUrl. */
	async function link(
		workflow = provisioning,
		node = 'Get OAuth URL',
	): Promise<{ oauthUrl: string; out: IDataObject }> {
		const before = Date.now();
		const run = await runFrom(workflow, 'New customer', sb, { n8nUrl: callbacks.server.url });
		const after = Date.now();
		expect(run.error).toBeUndefined();
		const [out] = run.json(node);
		// An hour from when the state was signed, during the run (states count in whole seconds).
		const expiresAt = Date.parse(out.stateExpiresAt as string);
		expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 60 * 60_000);
		expect(expiresAt).toBeLessThanOrEqual(after + 60 * 60_000);
		expect(run.json('Send the link to the customer')[0].text).toContain(out.oauthUrl as string);
		return { oauthUrl: out.oauthUrl as string, out };
	}

	const createBody = (since: number) =>
		sb.requests
			.slice(since)
			.find((r) => r.method === 'POST' && r.path === '/elements/api-v2/instances')!
			.body as IDataObject;

	it('the default path is Keap REST: the link is asked for infusionsoftrest, the instance is created with exactly its three keys', async () => {
		const { oauthUrl, out } = await link();
		expect(out).toMatchObject({ element: 'infusionsoftrest', context: 'customer-42' });
		expect(
			sb.requests
				.filter((r) => r.path.startsWith('/elements/api-v2/'))
				.map((r) => `${r.method} ${r.path}`),
		).toEqual(['POST /elements/api-v2/elements/infusionsoftrest/oauth/url']);

		const before = sb.requests.length;
		const run = await callbacks.click(oauthUrl, 'allow');
		expect(run.executedNodes).toEqual(CREATED);
		expect(outputOf(run, TRIGGER)[0]).toMatchObject({
			element: 'infusionsoftrest',
			context: 'customer-42',
		});
		const body = createBody(before);
		expect(body.element).toEqual({ key: 'infusionsoftrest' });
		expect(Object.keys(body.configuration as IDataObject).sort()).toEqual(REST_KEYS);
		const [instance] = instancesOf(sb);
		expect(instance).toMatchObject({
			name: 'Infusionsoft – customer-42',
			element: 'infusionsoftrest',
			keys: REST_KEYS,
		});
		expect(instance.tags).toEqual([
			'customer',
			'customer-42',
			expect.stringMatching(/^used-state:/),
		]);
		const [stored] = outputOf(run, 'Store instance ID and token');
		expect(stored).toEqual({
			customerId: 'customer-42',
			instanceId: instance.id,
			element: 'infusionsoftrest',
			instanceToken: sb.instances.get(instance.id)!.token,
			action: 'created',
		});
	});

	it('Keap REST needs no Infusionsoft Server and no Encrypted Key in the app credential', async () => {
		const { oauthUrl } = await link();
		const {
			server: _server,
			encryptedKey: _key,
			...app
		} = callbacks.credentials.infusionsoftCrmOAuth2Api;
		expect(Object.keys(app).sort()).toEqual(['callbackUrl', 'clientId', 'clientSecret']);
		callbacks.server.setCredentials({ ...callbacks.credentials, infusionsoftCrmOAuth2Api: app });
		try {
			const run = await callbacks.click(oauthUrl, 'allow');
			expect(run.executedNodes).toEqual(CREATED);
			expect(instancesOf(sb)).toEqual([
				expect.objectContaining({ element: 'infusionsoftrest', keys: REST_KEYS }),
			]);
		} finally {
			callbacks.server.setCredentials(callbacks.credentials);
		}
	});

	it('one click to the legacy element: the link of provisioning-flow-legacy.json comes back to the same callback, which creates an Infusionsoft CRM instance with the five keys', async () => {
		const { oauthUrl, out } = await link(legacyLink, 'Get OAuth URL (legacy Infusionsoft CRM)');
		expect(out).toMatchObject({ element: 'infusionsoftcrm', context: 'customer-43' });
		expect(new URL(oauthUrl).searchParams.get('redirect_uri')).toBe(callbacks.server.productionUrl);
		expect(
			sb.requests
				.filter((r) => r.path.startsWith('/elements/api-v2/'))
				.map((r) => `${r.method} ${r.path}`),
		).toEqual(['POST /elements/api-v2/elements/infusionsoftcrm/oauth/url']);

		const before = sb.requests.length;
		const run = await callbacks.click(oauthUrl, 'allow');
		expect(run.executedNodes).toEqual(CREATED);
		const body = createBody(before);
		expect(body.element).toEqual({ key: 'infusionsoftcrm' });
		expect(body.configuration).toEqual({
			'oauth.callback.url': callbacks.server.productionUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': EXAMPLE.clientSecret,
			'infusionsoft.server': EXAMPLE.server,
			'infusionsoft.private.key': EXAMPLE.encryptedKey,
		});
		expect(instancesOf(sb)).toEqual([
			expect.objectContaining({
				name: 'Infusionsoft – customer-43',
				element: 'infusionsoftcrm',
				keys: LEGACY_KEYS,
			}),
		]);
		expect(outputOf(run, 'Store instance ID and token')[0]).toMatchObject({
			customerId: 'customer-43',
			element: 'infusionsoftcrm',
			action: 'created',
		});
	});

	it('the customer comes back again: the same instance is re-authenticated, not duplicated', async () => {
		await callbacks.click((await link()).oauthUrl, 'allow');
		const run = await callbacks.click((await link()).oauthUrl, 'allow');
		expect(outputOf(run, 'Create Instance')[0]).toMatchObject({
			action: 'reauthenticated',
			element: { key: 'infusionsoftrest' },
		});
		expect(sb.instances.size).toBe(1);
	});

	it('the same link opened twice: the second callback is refused, the instance keeps its token', async () => {
		const { oauthUrl } = await link();
		await callbacks.click(oauthUrl, 'allow');
		const [instance] = [...sb.instances.values()];
		const token = instance.token;
		const before = sb.requests.length;
		const run = await callbacks.click(oauthUrl, 'allow');
		expect(run.run?.data.resultData.error?.message).toMatch(
			`This callback was used before: it already connected instance ${instance.id}`,
		);
		expect(instance.token).toBe(token);
		expect(changes(sb, before)).toEqual([]);
	});

	it('the customer declines: the notification branch runs with the customer ID', async () => {
		const run = await callbacks.click((await link()).oauthUrl, 'deny');
		expect(run.executedNodes).toEqual([TRIGGER, 'Notify: not connected']);
		expect(outputOf(run, 'Notify: not connected')[0]).toMatchObject({
			reason: 'denied',
			customerId: 'customer-42',
		});
		expect(sb.instances.size).toBe(0);
	});
});

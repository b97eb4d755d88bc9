import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { eventsOn, pollerConfiguration } from '../../lib/keap/events';
import { apiCalls, credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';

const SIGNATURE_KEY = 'evt-sig-4b1f9c2e7d6a8035';
const HOOK = 'https://n8n.example.com/webhook/5f0c/events';

const withKey = (sb: Sandbox) =>
	credentialsFor(sb, { account: { eventSignatureSecret: SIGNATURE_KEY } });

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'instance',
	operation: 'create',
	element: 'infusionsoftrest',
	code: '={{ $json.code }}',
	name: '={{ $json.name }}',
	tags: 'docs',
	sendEvents: true,
	eventsCallbackUrl: HOOK,
	...extra,
});

const configure = (extra: Record<string, unknown> = {}) => ({
	resource: 'instance',
	operation: 'configureEvents',
	instanceId: '={{ $json.id }}',
	eventsCallbackUrl: HOOK,
	...extra,
});

describe('events: Create with Send Events, and Configure Events', () => {
	let sb: Sandbox;
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const stored = (id: unknown) =>
		sb.instances.get(Number(id))!.configuration as Record<string, unknown>;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	it('Create sends the event keys with the OAuth keys, signed with the account’s key, and never shows the key', async () => {
		const theCode = code();
		const run = await runNode(sb, {
			parameters: create({ eventResources: ['contacts', 'tasks'], eventsInterval: 2 }),
			items: [{ code: theCode, name: 'Customer 1' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(run.error).toBeUndefined();
		const post = apiCalls(sb).find((r) => r.method === 'POST')!;
		expect((post.body as { configuration: unknown }).configuration).toEqual({
			'oauth.callback.url': EXAMPLE.callbackUrl,
			'oauth.api.key': EXAMPLE.clientId,
			'oauth.api.secret': EXAMPLE.clientSecret,
			'event.notification.enabled': 'true',
			'event.vendor.type': 'polling',
			'event.notification.callback.url': HOOK,
			'event.notification.signature.key': SIGNATURE_KEY,
			'event.poller.refresh_interval': '2',
			'event.poller.configuration': pollerConfiguration(['contacts', 'tasks']),
		});
		const poller = JSON.parse(stored(run.items[0].json.id)['event.poller.configuration'] as string);
		expect(poller.contacts).toMatchObject({
			url: '/hubs/crm/contacts',
			idField: 'id',
			datesConfiguration: { updatedDateField: 'last_updated' },
		});
		expect(run.items[0].json).toMatchObject({ action: 'created', name: 'Customer 1' });
		expectNoSecrets(run, [theCode, SIGNATURE_KEY]);
	});

	it('Create without Sign Notifications sends an empty key; with it but no key in the credential, it stops before any call', async () => {
		const unsigned = await runNode(sb, {
			parameters: create({ signEvents: false }),
			items: [{ code: code(), name: 'Unsigned' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(unsigned.error).toBeUndefined();
		expect(stored(unsigned.items[0].json.id)['event.notification.signature.key']).toBe('');

		sb.requests.length = 0;
		const missing = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: 'No key' }],
			typeVersion: 2,
		});
		expect(missing.error?.message).toBe(
			'Sign Notifications is on, but the Cloud Elements API credential has no Event Signature Key [item 0]',
		);
		expect(apiCalls(sb)).toHaveLength(0);
	});

	it('refuses bad settings by name and item, before any call', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[
				{ eventsCallbackUrl: 'ftp://example.com/x' },
				'Events Callback URL is not an http(s) URL [item 0]',
			],
			[{ eventsCallbackUrl: '={{ "" }}' }, 'Events Callback URL is empty [item 0]'],
			[
				{ eventsInterval: '={{ 0 }}' },
				'Poll Every (Minutes) must be a whole number from 1 to 1440 [item 0]',
			],
			[
				{ eventsInterval: '={{ 2.5 }}' },
				'Poll Every (Minutes) must be a whole number from 1 to 1440 [item 0]',
			],
			[
				{ eventResources: '={{ ["contacts", "invoices"] }}' },
				'Resources to Watch has an unknown resource: invoices [item 0]',
			],
			[{ eventResources: '={{ [] }}' }, 'Resources to Watch is empty [item 0]'],
			[{ signEvents: '={{ "maybe" }}' }, 'Sign Notifications must be true or false [item 0]'],
		];
		for (const [extra, message] of cases) {
			sb.requests.length = 0;
			const run = await runNode(sb, {
				parameters: create(extra),
				items: [{ code: code(), name: 'Bad' }],
				credentials: withKey(sb),
				typeVersion: 2,
			});
			expect(run.error?.message).toBe(message);
			expect(apiCalls(sb).filter((r) => r.method !== 'GET')).toHaveLength(0);
		}
		const fromText = await runNode(sb, {
			parameters: create({ eventResources: '={{ "contacts, tasks" }}' }),
			items: [{ code: code(), name: 'Text list' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(fromText.error).toBeUndefined();
		expect(
			Object.keys(
				JSON.parse(stored(fromText.items[0].json.id)['event.poller.configuration'] as string),
			),
		).toEqual(['contacts', 'tasks']);
	});

	it('Use Existing turns events on for the existing instance once; a rerun with the same settings sends nothing', async () => {
		const first = await runNode(sb, {
			parameters: create({ sendEvents: false }),
			items: [{ code: code(), name: 'Acme' }],
			typeVersion: 2,
		});
		const id = first.items[0].json.id;
		expect(stored(id)['event.notification.enabled']).toBeUndefined();

		sb.requests.length = 0;
		const second = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: 'Acme' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(second.items[0].json).toMatchObject({ action: 'reused', id });
		expect(apiCalls(sb).filter((r) => r.method === 'PATCH')).toHaveLength(1);
		expect(stored(id)).toMatchObject(
			eventsOn({
				resources: ['contacts'],
				intervalMinutes: 5,
				callbackUrl: HOOK,
				signatureKey: SIGNATURE_KEY,
			}),
		);

		sb.requests.length = 0;
		const third = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: 'Acme' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(third.items[0].json).toMatchObject({ action: 'reused', id });
		expect(apiCalls(sb).filter((r) => r.method !== 'GET')).toHaveLength(0);
		expectNoSecrets(third, [SIGNATURE_KEY]);
	});

	it('the legacy element shows no events fields and sends no event keys', async () => {
		const run = await runNode(sb, {
			parameters: create({ element: 'infusionsoftcrm' }),
			items: [{ code: code(), name: 'Legacy' }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(run.error).toBeUndefined();
		const post = apiCalls(sb).find((r) => r.method === 'POST')!;
		expect(
			Object.keys((post.body as { configuration: object }).configuration).some((key) =>
				key.startsWith('event.'),
			),
		).toBe(false);
	});

	it('Configure Events turns events on, changes them, and turns them off, without re-authenticating', async () => {
		const made = await runNode(sb, {
			parameters: create({ sendEvents: false }),
			items: [{ code: code(), name: 'Globex' }],
			typeVersion: 2,
		});
		const id = made.items[0].json.id;
		const token = sb.instances.get(Number(id))!.token;

		const on = await runNode(sb, {
			parameters: configure({ eventsInterval: 1 }),
			items: [{ id }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect(on.error).toBeUndefined();
		expect(on.items[0].json.events).toEqual({
			enabled: true,
			callbackUrl: HOOK,
			resources: ['contacts'],
			intervalMinutes: 1,
			signed: true,
		});
		expect(stored(id)['event.notification.signature.key']).toBe(SIGNATURE_KEY);
		expectNoSecrets(on, [SIGNATURE_KEY]);

		const moved = await runNode(sb, {
			parameters: configure({
				eventsCallbackUrl: 'https://other.example.com/webhook/x',
				eventResources: ['opportunities'],
				signEvents: false,
			}),
			items: [{ id }],
			typeVersion: 2,
		});
		expect(moved.items[0].json.events).toMatchObject({
			enabled: true,
			callbackUrl: 'https://other.example.com/webhook/x',
			resources: ['opportunities'],
			signed: false,
		});

		const off = await runNode(sb, {
			parameters: configure({ eventsAction: 'off' }),
			items: [{ id }],
			typeVersion: 2,
		});
		expect(off.items[0].json.events).toMatchObject({
			enabled: false,
			callbackUrl: 'https://other.example.com/webhook/x',
		});
		expect(stored(id)['event.notification.enabled']).toBe('false');
		expect(sb.instances.get(Number(id))!.token).toBe(token);
		expect(apiCalls(sb).some((r) => r.method === 'PUT')).toBe(false);
	});

	it('Configure Events refuses a legacy instance before changing it, and names a missing one', async () => {
		const legacy = await runNode(sb, {
			parameters: create({ element: 'infusionsoftcrm' }),
			items: [{ code: code(), name: 'Old' }],
			typeVersion: 2,
		});
		sb.requests.length = 0;
		const run = await runNode(sb, {
			parameters: configure(),
			items: [{ id: legacy.items[0].json.id }],
			credentials: withKey(sb),
			typeVersion: 2,
			continueOnFail: true,
		});
		expect(run.items[0].json.error).toMatch(
			/is an Infusionsoft CRM instance: the platform polls for events on Keap REST instances only \[item 0\]/,
		);
		expect(apiCalls(sb).filter((r) => r.method === 'PATCH')).toHaveLength(0);

		const missing = await runNode(sb, {
			parameters: configure(),
			items: [{ id: 99999 }],
			credentials: withKey(sb),
			typeVersion: 2,
		});
		expect((missing.error as { httpCode?: string }).httpCode).toBe('404');
	});
});

/**
 * Both Keap elements through every operation, in n8n's engine against the stand-in: a new node
 * (version 2) starts on Keap REST with an app credential that has no Server and no Encrypted
 * Key; the legacy element stays one choice away; a saved node (version 1) keeps the legacy
 * element (the rest of the suite runs version 1 nodes).
 */
import type { IDataObject } from 'n8n-workflow';

import { InfusionsoftCrm } from '../../nodes/InfusionsoftCrm/InfusionsoftCrm.node';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { clickOnConsentPage } from '../nodes/InfusionsoftCrm/actions/oauth/consent';
import { apiCalls, credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';

const REST_KEYS = ['oauth.api.key', 'oauth.api.secret', 'oauth.callback.url'];
const LEGACY_KEYS = ['infusionsoft.private.key', 'infusionsoft.server', ...REST_KEYS];

describe('both Keap elements, every operation', () => {
	let sb: Sandbox;
	/** The app credential a Keap REST user has: no Server, no Encrypted Key. */
	const restOnly = () => credentialsFor(sb, { app: { server: '', encryptedKey: '' } });
	const v2 = (
		parameters: IDataObject,
		items: IDataObject[] = [{}],
		credentials = restOnly(),
		continueOnFail = false,
	) => runNode(sb, { parameters, items, credentials, typeVersion: 2, continueOnFail });
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const stored = (id: unknown) => sb.instances.get(Number(id))!;

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	it('the node offers versions 1 and 2, new nodes are version 2, and only version 1 defaults to the legacy element', () => {
		const { description } = new InfusionsoftCrm();
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const elementFields = description.properties.filter((p) => p.name === 'element');
		const defaults = elementFields.map((p) => [
			p.displayOptions?.show?.['@version'],
			p.default,
			p.displayOptions?.show?.operation,
		]);
		for (const operation of ['getOAuthUrl', 'create', 'reauthenticate']) {
			expect(defaults).toContainEqual([[1], 'infusionsoftcrm', [operation]]);
			expect(defaults).toContainEqual([[2], 'infusionsoftrest', [operation]]);
		}
		const notices = description.properties.filter((p) => p.name === 'legacyElementNotice');
		expect(notices.map((p) => p.displayOptions?.show?.element)).toEqual([
			['infusionsoftcrm'],
			['infusionsoftcrm'],
			['infusionsoftcrm'],
		]);
		expect(String(notices[0].displayName)).toContain('2026-12-31');
	});

	it('Get OAuth URL (v2): asks for the Keap REST URL with a credential that has no Server or Encrypted Key; the state carries the element', async () => {
		const run = await v2({ resource: 'oauth', operation: 'getOAuthUrl', context: 'customer-1' });
		expect(run.error).toBeUndefined();
		const [call] = apiCalls(sb);
		expect(`${call.method} ${call.path}`).toBe(
			'POST /elements/api-v2/elements/infusionsoftrest/oauth/url',
		);
		const out = run.items[0].json;
		expect(out.element).toBe('infusionsoftrest');
		const location = await clickOnConsentPage(sb, out.oauthUrl as string, 'allow');
		const parsed = await v2({ resource: 'oauth', operation: 'parseCallback', callback: location });
		expect(parsed.items[0].json).toMatchObject({
			element: 'infusionsoftrest',
			context: 'customer-1',
		});
		expectNoSecrets(run);
	});

	it('Create (v2): exactly the three OAuth keys, no Server needed; the callback’s element can be mapped', async () => {
		const run = await v2(
			{
				resource: 'instance',
				operation: 'create',
				element: '={{ $json.element }}',
				code: '={{ $json.code }}',
				name: 'Keap – 1',
				tags: 'customer',
			},
			[{ code: code(), element: 'infusionsoftrest' }],
		);
		expect(run.error).toBeUndefined();
		const out = run.items[0].json;
		expect(out).toMatchObject({ action: 'created', element: { key: 'infusionsoftrest' } });
		expect(
			Object.keys(
				(apiCalls(sb).find((r) => r.method === 'POST')!.body as IDataObject)
					.configuration as IDataObject,
			).sort(),
		).toEqual(REST_KEYS);
		expect(Object.keys(stored(out.id).configuration).sort()).toEqual(REST_KEYS);
		expectNoSecrets(run, [EXAMPLE.encryptedKey]);
	});

	it('Create (v2, legacy element chosen): the seeds’ five keys; without a Server it fails before any request, naming the field', async () => {
		const legacy = {
			resource: 'instance',
			operation: 'create',
			element: 'infusionsoftcrm',
			code: '={{ $json.code }}',
			name: 'Legacy – 1',
		};
		const ok = await v2(legacy, [{ code: code() }], credentialsFor(sb));
		expect(ok.error).toBeUndefined();
		expect(Object.keys(stored(ok.items[0].json.id).configuration).sort()).toEqual(LEGACY_KEYS);

		sb.requests.length = 0;
		const noServer = await v2(legacy, [{ code: code() }]);
		expect(noServer.error?.message).toBe(
			'The Infusionsoft CRM OAuth2 API credential is unusable: Infusionsoft Server is empty (the infusionsoftcrm element needs it)',
		);
		expect(apiCalls(sb)).toHaveLength(0);
	});

	it('a saved version-1 Create without an Element sends the legacy body, as before', async () => {
		const run = await runNode(sb, {
			parameters: {
				resource: 'instance',
				operation: 'create',
				code: '={{ $json.code }}',
				name: 'Saved before',
			},
			items: [{ code: code() }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			action: 'created',
			element: { key: 'infusionsoftcrm' },
		});
		expect(Object.keys(stored(run.items[0].json.id).configuration).sort()).toEqual(LEGACY_KEYS);
	});

	it('Create: the look-up by name stays within the element, so a customer’s legacy and Keap REST instances can share a name', async () => {
		const params = {
			resource: 'instance',
			operation: 'create',
			element: '={{ $json.element }}',
			code: '={{ $json.code }}',
			name: 'Shared name',
		};
		const legacy = await v2(
			params,
			[{ code: code(), element: 'infusionsoftcrm' }],
			credentialsFor(sb),
		);
		const rest = await v2(params, [{ code: code(), element: 'infusionsoftrest' }]);
		const again = await v2(params, [{ code: code(), element: 'infusionsoftrest' }]);
		expect(legacy.items[0].json.action).toBe('created');
		expect(rest.items[0].json.action).toBe('created');
		expect(again.items[0].json).toMatchObject({ action: 'reused', id: rest.items[0].json.id });
		expect([...sb.instances.values()].map((i) => i.element.key).sort()).toEqual([
			'infusionsoftcrm',
			'infusionsoftrest',
		]);
	});

	it('Re-Authenticate (v2): a Keap REST instance keeps its ID and gets the three keys; an instance of the other element is refused before the code is spent', async () => {
		const created = await v2(
			{ resource: 'instance', operation: 'create', code: '={{ $json.code }}', name: 'To re-auth' },
			[{ code: code() }],
		);
		const id = created.items[0].json.id;
		const token = stored(id).token;
		const reauth = await v2(
			{
				resource: 'instance',
				operation: 'reauthenticate',
				instanceId: '={{ $json.id }}',
				code: '={{ $json.code }}',
			},
			[{ id, code: code() }],
		);
		expect(reauth.items[0].json).toMatchObject({
			action: 'reauthenticated',
			id,
			element: { key: 'infusionsoftrest' },
		});
		expect(stored(id).token).not.toBe(token);

		sb.requests.length = 0;
		const wrong = await v2(
			{
				resource: 'instance',
				operation: 'reauthenticate',
				element: 'infusionsoftcrm',
				instanceId: '={{ $json.id }}',
				code: '={{ $json.code }}',
			},
			[{ id, code: code() }],
			credentialsFor(sb),
			true,
		);
		expect(String(wrong.items[0].json.error)).toBe(
			`Instance ${id} is a Keap REST instance, not Infusionsoft CRM [item 0]`,
		);
		expect(String(wrong.items[0].json.errorDescription)).toContain('Set Element to Keap REST');
		expect(apiCalls(sb).map((r) => r.method)).toEqual(['GET']);
	});

	it('Get, Get Many (Elements filter), Update, Enable, Disable and Delete work on instances of both elements', async () => {
		const make = async (element: string, name: string) =>
			(
				await v2(
					{
						resource: 'instance',
						operation: 'create',
						element,
						code: '={{ $json.code }}',
						name,
						tags: 'mixed',
					},
					[{ code: code() }],
					credentialsFor(sb),
				)
			).items[0].json.id;
		const legacyId = await make('infusionsoftcrm', 'Mixed legacy');
		const restId = await make('infusionsoftrest', 'Mixed rest');
		sb.instances.set(99, {
			...stored(restId),
			id: 99,
			name: 'Not Keap',
			element: { ...stored(restId).element, key: 'hubspotcrm' },
		});

		const list = async (filters: IDataObject) =>
			(await v2({ resource: 'instance', operation: 'getAll', returnAll: true, filters })).items
				.map((i) => i.json.id)
				.sort();
		expect(await list({})).toEqual([legacyId, restId].sort());
		expect(await list({ elements: 'infusionsoftrest' })).toEqual([restId]);
		expect(await list({ elements: 'infusionsoftcrm' })).toEqual([legacyId]);
		expect(await list({ elements: 'all' })).toEqual([legacyId, restId, 99].sort());
		// A saved version-1 node keeps Infusionsoft Only: the legacy element alone.
		const v1 = await runNode(sb, {
			parameters: { resource: 'instance', operation: 'getAll', returnAll: true },
		});
		expect(v1.items.map((i) => i.json.id)).toEqual([legacyId]);

		for (const id of [legacyId, restId]) {
			const got = await v2({ resource: 'instance', operation: 'get', instanceId: String(id) });
			expect(got.items[0].json.id).toBe(id);
			await v2({
				resource: 'instance',
				operation: 'update',
				instanceId: String(id),
				updateFields: { name: `Renamed ${id}` },
			});
			expect(stored(id).name).toBe(`Renamed ${id}`);
			await v2({ resource: 'instance', operation: 'disable', instanceId: String(id) });
			expect(stored(id).disabled).toBe(true);
			await v2({ resource: 'instance', operation: 'enable', instanceId: String(id) });
			expect(stored(id).disabled).toBe(false);
			const deleted = await v2({
				resource: 'instance',
				operation: 'delete',
				instanceId: String(id),
			});
			expect(deleted.items[0].json).toEqual({ id, deleted: true, alreadyDeleted: false });
		}
	});

	it('a legacy call refused for the retired key or XML-RPC says to switch the element', async () => {
		sb.fail({
			method: 'POST',
			path: '/instances',
			status: 400,
			body: {
				requestId: 'r1',
				message: 'Failed to create instance',
				providerMessage: 'XML-RPC API is no longer available for this application',
			},
		});
		const run = await v2(
			{
				resource: 'instance',
				operation: 'create',
				element: 'infusionsoftcrm',
				code: '={{ $json.code }}',
				name: 'Too late',
			},
			[{ code: code() }],
			credentialsFor(sb),
		);
		expect(run.error?.message).toBe('Cloud Elements: Failed to create instance');
		expect(run.error?.description).toContain('set Element to Keap REST');

		// The same words from the Keap REST element are not about the legacy key: no such advice.
		sb.fail({
			method: 'POST',
			path: '/instances',
			status: 400,
			body: {
				message: 'Failed to create instance',
				providerMessage: 'XML-RPC API is no longer available',
			},
		});
		const rest = await v2(
			{ resource: 'instance', operation: 'create', code: '={{ $json.code }}', name: 'REST' },
			[{ code: code() }],
		);
		expect(rest.error?.description).not.toContain('set Element to Keap REST');
	});
});

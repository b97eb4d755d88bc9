/**
 * The doors a hostile workflow author, an AI agent's prompt injection or a mistyped credential
 * walk through, each driven through n8n's engine against the stand-in (issue "Lock the doors":
 * cases 1, 6, 7, 10, 12; case 11 is in getOAuthUrl.test.ts, the migration example's side of
 * case 6 in test/examples/migration.test.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { CloudElementsApi } from '../../credentials/CloudElementsApi.credentials';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';

type Element = 'infusionsoftcrm' | 'infusionsoftrest';

describe('locked doors', () => {
	let sb: Sandbox;
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const run = (
		parameters: IDataObject,
		items: IDataObject[] = [{}],
		continueOnFail = false,
		credentials = credentialsFor(sb),
	) => runNode(sb, { parameters, items, continueOnFail, typeVersion: 2, credentials });
	const byId = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });

	async function connect(
		name: string,
		element: Element = 'infusionsoftrest',
	): Promise<{ id: number; token: string }> {
		const created = await run(
			{ resource: 'instance', operation: 'create', element, code: '={{ $json.code }}', name },
			[{ code: code() }],
		);
		expect(created.error).toBeUndefined();
		const { id, token } = created.items[0].json as { id: number; token: string };
		return { id, token };
	}

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	describe('case 1: a Custom API Call path never leaves /hubs/crm', () => {
		const ESCAPES = [
			'/%2e%2e/%2e%2e/instances',
			'/.%2e/%2e./instances',
			'/%2E%2E/%2E%2E/instances',
			'/.\t./.\t./instances',
			'/contacts/..%2F..%2F..%2Finstances',
			'/contacts/%5c..%5c..%5cinstances',
		];

		it.each(
			ESCAPES.flatMap(
				(path) =>
					[
						['GET', path, false],
						['GET', path, true],
						['DELETE', path, false],
					] as Array<[string, string, boolean]>,
			),
		)(
			'%s %j (Return All %s) is refused by name before anything is sent; every customer’s instance is still there',
			async (method, path, returnAll) => {
				const ann = await connect('Ann');
				const bob = await connect('Bob');
				const before = sb.requests.length;
				// From an expression, as a mapped form field or an AI agent's $fromAI would give it.
				const result = await run(
					{
						resource: 'customApiCall',
						operation: 'request',
						instance: byId(ann.id),
						method,
						path: '={{ $json.path }}',
						returnAll,
					},
					[{ path }],
				);
				expect(result.error?.message).toMatch(
					/^Path holds a percent-encoded dot, slash or backslash, or a control character \[item 0\]/,
				);
				expect(sb.requests.slice(before)).toEqual([]);
				expect([...sb.instances.keys()]).toEqual([ann.id, bob.id]);
				expectNoSecrets(result, [ann.token, bob.token]);
			},
		);

		it('with Continue On Fail, the refused item fails alone and the others are answered', async () => {
			const ann = await connect('Ann');
			const before = sb.requests.length;
			const result = await run(
				{
					resource: 'customApiCall',
					operation: 'request',
					instance: byId(ann.id),
					method: 'GET',
					path: '={{ $json.path }}',
				},
				[{ path: '/tags' }, { path: '/%2e%2e/%2e%2e/instances' }, { path: '/tags' }],
				true,
			);
			expect(result.items.map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(String(result.items[1].json.error)).toMatch(
				/Path holds a percent-encoded dot.*\[item 1\]/,
			);
			const sent = sb.requests
				.slice(before)
				.map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`);
			expect(sent).toEqual([
				`GET /instances/${ann.id}`,
				'GET /hubs/crm/tags',
				'GET /hubs/crm/tags',
			]);
		});
	});

	describe('case 6: Create with Use Existing mends a broken instance with the fresh code', () => {
		it.each([
			['invalid', (id: number) => sb.breakInstance(id)],
			['disabled', (id: number) => sb.disableInstance(id)],
		])(
			'an existing %s instance of that name is re-authenticated (and enabled), not returned as reused',
			async (_, breakIt) => {
				const ann = await connect('Ann');
				breakIt(ann.id);
				const before = sb.requests.length;
				const result = await run(
					{
						resource: 'instance',
						operation: 'create',
						element: 'infusionsoftrest',
						code: '={{ $json.code }}',
						name: 'Ann',
						onExisting: 'reuse',
					},
					[{ code: code() }],
				);
				expect(result.error).toBeUndefined();
				expect(result.items[0].json).toMatchObject({ action: 'reauthenticated', id: ann.id });
				const changed = sb.requests
					.slice(before)
					.filter((r) => r.method !== 'GET')
					.map((r) => `${r.method} ${r.path.replace('/elements/api-v2', '')}`);
				expect(changed[0]).toBe(`PUT /instances/${ann.id}`);
				const stored = sb.instances.get(ann.id)!;
				expect([stored.valid, stored.disabled, stored.token === ann.token]).toEqual([
					true,
					false,
					false,
				]);
				const tested = await run({
					resource: 'instance',
					operation: 'testConnection',
					instance: byId(ann.id),
				});
				expect(tested.items[0].json).toMatchObject({ ok: true, status: 'ok' });
			},
		);

		it('a working instance is still reused, and the code is left unspent', async () => {
			const ann = await connect('Ann');
			const before = sb.requests.length;
			const result = await run(
				{
					resource: 'instance',
					operation: 'create',
					element: 'infusionsoftrest',
					code: '={{ $json.code }}',
					name: 'Ann',
					onExisting: 'reuse',
				},
				[{ code: code() }],
			);
			expect(result.items[0].json).toMatchObject({ action: 'reused', id: ann.id });
			expect(sb.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
		});
	});

	describe('case 7: Where (CEQL) cannot undo the fixed filters', () => {
		const seedContacts = (id: number) =>
			sb.seedRecords(id, 'contacts', [
				{ given_name: 'Ann', email_addresses: [{ email: 'ann@x.test', field: 'EMAIL1' }] },
				{ given_name: 'Bob', email_addresses: [{ email: 'bob@x.test', field: 'EMAIL1' }] },
			]);

		it.each([
			["given_name = 'x') OR (given_name != 'x'", 'closes a parenthesis it did not open'],
			["(given_name = 'x'", 'leaves a parenthesis open'],
			["given_name = 'x) OR (1 = 1", 'leaves a quoted text open'],
		])('Contact → Get Many refuses %j by name, before anything is sent', async (where, why) => {
			const { id } = await connect('Ann');
			seedContacts(id);
			const before = sb.requests.length;
			const result = await run(
				{
					resource: 'contact',
					operation: 'getAll',
					instance: byId(id),
					returnAll: true,
					filters: { email: 'ann@x.test', where: '={{ $json.where }}' },
				},
				[{ where }],
			);
			expect(result.error?.message).toBe(`Filters → Where (CEQL) ${why} [item 0]`);
			expect(sb.requests.slice(before).filter((r) => r.path.includes('/hubs/crm/'))).toEqual([]);
		});

		it('Task → Get Many refuses it too; balanced parentheses and parentheses inside quotes still work', async () => {
			const { id } = await connect('Ann');
			seedContacts(id);
			const refused = await run({
				resource: 'task',
				operation: 'getAll',
				instance: byId(id),
				returnAll: true,
				where: "title = 'a') OR (1 = 1",
			});
			expect(refused.error?.message).toBe(
				'Where (CEQL) closes a parenthesis it did not open [item 0]',
			);
			const fine = await run({
				resource: 'contact',
				operation: 'getAll',
				instance: byId(id),
				returnAll: true,
				filters: {
					email: 'ann@x.test',
					where: "(given_name = 'Ann') OR (given_name = 'O''Brien :)')",
				},
			});
			expect(fine.error).toBeUndefined();
			expect(fine.items.map((i) => i.json.email)).toEqual(['ann@x.test']);
		});
	});

	describe('case 10: secrets outside printable ASCII are refused by field name', () => {
		it.each([
			['User Secret', { account: { userSecret: `${EXAMPLE.userSecret}é` } }],
			[
				'Organization Secret',
				{ account: { organizationSecret: `${EXAMPLE.organizationSecret}\u200b` } },
			],
			['Event Signature Key', { account: { eventSignatureSecret: 'key-with-a-tab\there' } }],
			['Client Secret', { app: { clientSecret: `${EXAMPLE.clientSecret}🔑` } }],
		])('%s', async (label, overrides) => {
			const result = await run(
				{ resource: 'oauth', operation: 'getOAuthUrl', state: 'customer-1' },
				[{}],
				false,
				credentialsFor(sb, overrides as never),
			);
			expect(result.error?.message).toContain(
				`${label} holds characters other than printable ASCII`,
			);
			expect(sb.requests).toEqual([]);
			const secret = Object.values(Object.values(overrides)[0] as IDataObject)[0] as string;
			expect(result.visible.includes(secret)).toBe(false);
		});
	});

	describe('case 12: the Cloud Elements credential’s Test button names the field', () => {
		const authenticate = (data: IDataObject) =>
			new CloudElementsApi().authenticate(data as never, { url: '/elements/infusionsoftcrm' });

		it('a 5-character User Secret is refused by name, as a run refuses it; nothing is sent', async () => {
			await expect(
				authenticate({ userSecret: '12345', organizationSecret: EXAMPLE.organizationSecret }),
			).rejects.toThrow(
				/^User Secret is shorter than 8 characters, which no platform secret is\. Fix this field and test again\.$/,
			);
			const runRefused = await run(
				{ resource: 'instance', operation: 'getAll', returnAll: true },
				[{}],
				false,
				credentialsFor(sb, { account: { userSecret: '12345' } }),
			);
			expect(runRefused.error?.message).toContain('User Secret is shorter than 8 characters');
		});

		it('every unusable secret is named; good secrets give the platform’s header', async () => {
			await expect(
				authenticate({ userSecret: '', organizationSecret: 'ünïcode-secret' }),
			).rejects.toThrow(
				/User Secret is empty; Organization Secret holds characters other than printable ASCII/,
			);
			const options = await authenticate({
				userSecret: `${EXAMPLE.userSecret}\n`,
				organizationSecret: EXAMPLE.organizationSecret,
			});
			expect(options.headers).toEqual({
				Authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
			});
		});
	});
});

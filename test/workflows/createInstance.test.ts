import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { apiCalls, credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'instance',
	operation: 'create',
	code: '={{ $json.code }}',
	name: '={{ $json.name }}',
	tags: 'docs',
	...extra,
});

describe('Create Instance in a workflow', () => {
	let sb: Sandbox;
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	it('sends exactly the seed’s body, with the server normalised, and outputs the instance', async () => {
		const theCode = code();
		const run = await runNode(sb, {
			parameters: create(),
			items: [{ code: theCode, name: 'API Instance' }],
			credentials: credentialsFor(sb, { app: { server: 'https://DT123.infusionsoft.com/' } }),
		});
		expect(run.error).toBeUndefined();
		const post = apiCalls(sb).find((r) => r.method === 'POST')!;
		expect(post.path).toBe('/elements/api-v2/instances');
		expect(post.headers['content-type']).toMatch(/^application\/json/);
		expect(post.headers.authorization).toBe(
			`User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
		);
		expect(post.body).toEqual({
			element: { key: 'infusionsoftcrm' },
			providerData: { code: theCode },
			configuration: {
				'oauth.callback.url': EXAMPLE.callbackUrl,
				'oauth.api.key': EXAMPLE.clientId,
				'oauth.api.secret': EXAMPLE.clientSecret,
				'infusionsoft.server': 'dt123.infusionsoft.com',
				'infusionsoft.private.key': EXAMPLE.encryptedKey,
			},
			tags: ['docs'],
			name: 'API Instance',
		});

		const out = run.items[0].json;
		const stored = sb.instances.get(out.id as number)!;
		expect(out).toMatchObject({
			action: 'created',
			name: 'API Instance',
			token: stored.token,
			tags: ['docs'],
		});
		expect((out.configuration as Record<string, unknown>)['oauth.api.secret']).toBe('********');
		expectNoSecrets(run, [theCode]);
	});

	it('creates one instance per item, concurrently, in order, with tags from a list', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({
			code: code(),
			name: `Customer ${i}`,
			tags: [`c-${i}`, 'bulk'],
		}));
		const run = await runNode(sb, {
			parameters: create({ tags: '={{ $json.tags }}', requestOptions: { concurrency: 4 } }),
			items,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.name)).toEqual(items.map((i) => i.name));
		expect(run.items.map((i) => i.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(run.items[3].json.tags).toEqual(['c-3', 'bulk']);
		expect(sb.instances.size).toBe(12);
	});

	it('explains a used code (400) with Infusionsoft’s words and never shows the code', async () => {
		const theCode = code();
		await runNode(sb, {
			parameters: create({ onExisting: 'create' }),
			items: [{ code: theCode, name: 'First' }],
		});
		const again = await runNode(sb, {
			parameters: create({ onExisting: 'create' }),
			items: [{ code: theCode, name: 'Second' }],
		});
		expect(again.error?.name).toBe('NodeApiError');
		expect((again.error as { httpCode?: string }).httpCode).toBe('400');
		const description = (again.error as { description?: string }).description!;
		expect(description).toMatch(/Infusionsoft says: .*invalid_grant/);
		expect(description).toMatch(/expired or been used already/);
		expect(description).toMatch(/Callback URL/);
		expectNoSecrets(again, [theCode]);
	});

	it('reports a callback URL that does not match the one the code was issued for', async () => {
		const theCode = code();
		const run = await runNode(sb, {
			parameters: create(),
			items: [{ code: theCode, name: 'Mismatch' }],
			credentials: credentialsFor(sb, { app: { callbackUrl: 'https://elsewhere.example.com/cb' } }),
		});
		expect((run.error as { httpCode?: string }).httpCode).toBe('400');
		expect(sb.instances.size).toBe(0);
		expectNoSecrets(run, [theCode]);
	});

	it('names the field and the item of bad input and sends nothing for that item', async () => {
		const run = await runNode(sb, {
			parameters: create({ requestOptions: { concurrency: 1 } }),
			items: [{ code: '', name: 'No code' }],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Authorization Code is empty [item 0]');
		expect(apiCalls(sb)).toHaveLength(0);

		const list = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: { not: 'text' } }],
		});
		expect(list.error?.message).toBe('Instance Name must be text, not object [item 0]');

		const missingServer = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: 'x' }],
			credentials: credentialsFor(sb, { app: { server: '' } }),
		});
		expect(missingServer.error?.message).toBe(
			'The Infusionsoft CRM OAuth2 API credential is unusable: Infusionsoft Server is empty (the infusionsoftcrm element needs it)',
		);
		expect(apiCalls(sb)).toHaveLength(0);
	});

	it('sends an empty Encrypted Key as given (Keap retired it)', async () => {
		const run = await runNode(sb, {
			parameters: create(),
			items: [{ code: code(), name: 'No key' }],
			credentials: credentialsFor(sb, { app: { encryptedKey: '' } }),
		});
		expect(run.error).toBeUndefined();
		const post = apiCalls(sb).find((r) => r.method === 'POST')!;
		expect(
			(post.body as { configuration: Record<string, string> }).configuration[
				'infusionsoft.private.key'
			],
		).toBe('');
	});

	it('with Continue On Fail, N items in give N items out', async () => {
		const run = await runNode(sb, {
			parameters: create(),
			items: [
				{ code: code(), name: 'ok 1' },
				{ code: 'not-a-real-code', name: 'bad' },
				{ code: '', name: 'empty' },
				{ code: code(), name: 'ok 2' },
			],
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(4);
		expect(run.items.map((i) => i.json.action ?? 'error')).toEqual([
			'created',
			'error',
			'error',
			'created',
		]);
		expect(run.items[2].json.error).toBe('Authorization Code is empty [item 2]');
		expect(run.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expectNoSecrets(run, ['not-a-real-code']);
	});
});

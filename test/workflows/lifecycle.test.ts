import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { apiCalls, credentialsFor, expectNoSecrets, runNode } from '../support/infusionsoftRun';
import { recordPacerSchedule } from '../support/pacerSchedule';

describe('the instance life cycle in a workflow', () => {
	let sb: Sandbox;
	const code = () => sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
	const auth = {
		Authorization: `User ${EXAMPLE.userSecret}, Organization ${EXAMPLE.organizationSecret}`,
	};

	/** Creates instances straight through the platform API, as another tool would. */
	async function seed(
		count: number,
		{ prefix = 'Seeded', tags = ['seeded'], element = 'infusionsoftcrm' } = {},
	) {
		const ids: number[] = [];
		for (let i = 0; i < count; i++) {
			const response = await fetch(`${sb.apiRoot}/instances`, {
				method: 'POST',
				headers: { ...auth, 'Content-Type': 'application/json' },
				body: JSON.stringify({
					element: { key: element },
					providerData: { code: code() },
					configuration: {
						'oauth.callback.url': EXAMPLE.callbackUrl,
						'oauth.api.key': EXAMPLE.clientId,
						'oauth.api.secret': EXAMPLE.clientSecret,
						'infusionsoft.server': EXAMPLE.server,
						'infusionsoft.private.key': EXAMPLE.encryptedKey,
					},
					tags,
					name: `${prefix} ${i}`,
				}),
			});
			if (!response.ok) throw new Error(`seed failed: ${response.status} ${await response.text()}`);
			ids.push(((await response.json()) as { id: number }).id);
		}
		sb.requests.length = 0;
		return ids;
	}

	beforeAll(async () => {
		sb = await startSandbox({ pageSizeDefault: 200 });
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	describe('Get', () => {
		it('returns one instance by id, and a clear 404', async () => {
			const [id] = await seed(1);
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'get', instanceId: '={{ $json.id }}' },
				items: [{ id }],
			});
			expect(run.items[0].json).toMatchObject({ id, name: 'Seeded 0' });

			const missing = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'get', instanceId: '99999' },
			});
			expect((missing.error as { httpCode?: string }).httpCode).toBe('404');
			expect(missing.error?.message).toMatch(
				/^Instance 99999 was not found on this account: was it deleted\?/,
			);
			expect((missing.error as { description?: string }).description).toMatch(
				/No instance 99999 on this account\. Instance → Get Many lists/,
			);
		});

		it('names a deleted instance as not found when a contact is read through it', async () => {
			const [id] = await seed(1);
			const deleted = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'delete', instanceId: String(id) },
			});
			expect(deleted.error).toBeUndefined();
			const run = await runNode(sb, {
				parameters: {
					resource: 'contact',
					operation: 'get',
					instance: { __rl: true, mode: 'id', value: String(id) },
					contactId: '1',
				},
				typeVersion: 2,
			});
			expect(run.error?.message).toMatch(
				new RegExp(`^Instance ${id} was not found on this account: was it deleted\\?`),
			);
			expect(apiCalls(sb).filter((r) => r.path.includes('/hubs/crm/'))).toHaveLength(0);
		});

		it('rejects an id that is not a whole number before any request', async () => {
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'get', instanceId: '12/../../elements' },
			});
			expect(run.error?.message).toBe('Instance ID must be a whole number [item 0]');
			expect(apiCalls(sb)).toHaveLength(0);
		});
	});

	describe('Get Many', () => {
		it('reads "no match" (404) as an empty result, not an error', async () => {
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'getAll', returnAll: true },
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toEqual([]);
		});

		it('follows the next-page token through every page, and stops cleanly on an empty last page', async () => {
			await seed(400);
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'getAll', returnAll: true },
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(400);
			expect(new Set(run.items.map((i) => i.json.id)).size).toBe(400);
			const pages = apiCalls(sb);
			// 200 + 200, then the token of a full last page leads to a 404: three calls, no error.
			expect(pages).toHaveLength(3);
			expect(pages[1].query.nextPage).toBeTruthy();
			expect(
				run.items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0),
			).toBe(true);
		});

		it('filters by tags and search text, and stops at the limit', async () => {
			await seed(5, { prefix: 'Acme', tags: ['acme', 'prod'] });
			await seed(5, { prefix: 'Other', tags: ['other'] });
			const byTag = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'getAll',
					returnAll: true,
					filters: { tags: 'acme' },
				},
			});
			expect(byTag.items.map((i) => i.json.name)).toEqual([
				'Acme 0',
				'Acme 1',
				'Acme 2',
				'Acme 3',
				'Acme 4',
			]);
			expect(apiCalls(sb)[0].query['tags[]']).toBe('acme');

			const limited = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'getAll',
					returnAll: false,
					limit: 3,
					filters: { searchText: 'other' },
				},
			});
			expect(limited.items.map((i) => i.json.name)).toEqual(['Other 0', 'Other 1', 'Other 2']);
		});

		it('leaves out other elements’ instances unless asked', async () => {
			const [id] = await seed(2, { prefix: 'Mixed' });
			const infusionsoft = sb.instances.get(id)!;
			// The stand-in only provisions infusionsoftcrm; another element's instance is planted directly.
			sb.instances.set(99001, {
				...infusionsoft,
				id: 99001,
				name: 'Mixed hub',
				element: { ...infusionsoft.element, id: 2, key: 'hubspotcrm' },
			});
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'getAll', returnAll: true },
			});
			expect(run.items.map((i) => i.json.name)).toEqual(['Mixed 0', 'Mixed 1']);
			const all = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'getAll',
					returnAll: true,
					filters: { infusionsoftOnly: false },
				},
			});
			expect(all.items.map((i) => i.json.name)).toEqual(['Mixed 0', 'Mixed 1', 'Mixed hub']);
		});
	});

	describe('Update', () => {
		it('changes the name and replaces the tags', async () => {
			const [id] = await seed(1, { tags: ['a', 'b'] });
			const run = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'update',
					instanceId: String(id),
					updateFields: { name: 'Renamed', tags: 'c' },
				},
			});
			expect(run.items[0].json).toMatchObject({ id, name: 'Renamed', tags: ['c'] });
			expect(apiCalls(sb)[0]).toMatchObject({
				method: 'PATCH',
				body: { name: 'Renamed', tags: ['c'] },
			});
		});

		it('refuses an update with nothing in it', async () => {
			const run = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'update',
					instanceId: '12345',
					updateFields: {},
				},
			});
			expect(run.error?.message).toBe('Nothing to update [item 0]');
			expect(apiCalls(sb)).toHaveLength(0);
		});
	});

	describe('Reauthenticate', () => {
		it('gives the instance a new code, keeping its id, name and tags', async () => {
			const [id] = await seed(1, { tags: ['keep'] });
			const before = sb.instances.get(id)!.token;
			sb.instances.get(id)!.valid = false;
			const newCode = code();
			const run = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'reauthenticate',
					instanceId: String(id),
					code: '={{ $json.code }}',
				},
				items: [{ code: newCode }],
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({
				action: 'reauthenticated',
				id,
				name: 'Seeded 0',
				tags: ['keep'],
				valid: true,
			});
			expect(sb.instances.get(id)!.token).not.toBe(before);
			const put = apiCalls(sb).find((r) => r.method === 'PUT')!;
			expect(put.query.reAuthenticate).toBe('true');
			expect(put.body).toMatchObject({ providerData: { code: newCode } });
			expectNoSecrets(run, [newCode]);
		});
	});

	describe('Delete, Enable, Disable', () => {
		it('disables, enables and deletes; deleting again succeeds unless asked not to', async () => {
			const [id] = await seed(1);
			const instanceOp = (operation: string, extra = {}) =>
				runNode(sb, {
					parameters: { resource: 'instance', operation, instanceId: String(id), ...extra },
				});

			expect((await instanceOp('disable')).items[0].json).toMatchObject({ disabled: true });
			expect(sb.instances.get(id)!.disabled).toBe(true);
			expect((await instanceOp('enable')).items[0].json).toMatchObject({ disabled: false });
			expect(sb.instances.get(id)!.disabled).toBe(false);

			expect((await instanceOp('delete')).items[0].json).toEqual({
				id,
				deleted: true,
				alreadyDeleted: false,
			});
			expect(sb.instances.has(id)).toBe(false);
			expect((await instanceOp('delete')).items[0].json).toEqual({
				id,
				deleted: true,
				alreadyDeleted: true,
			});
			const strict = await instanceOp('delete', { ignoreMissing: false });
			expect((strict.error as { httpCode?: string }).httpCode).toBe('404');
		});
	});

	describe('Create without duplicates', () => {
		const create = (onExisting?: string) => ({
			resource: 'instance',
			operation: 'create',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			...(onExisting ? { onExisting } : {}),
		});

		it('by default reuses an instance with the same name: a scheduled rerun creates nothing', async () => {
			const first = await runNode(sb, {
				parameters: create(),
				items: [{ code: code(), name: 'Customer 7' }],
			});
			const rerun = await runNode(sb, {
				parameters: create(),
				items: [{ code: 'stale-code-from-yesterday', name: 'Customer 7' }],
			});
			expect(first.items[0].json.action).toBe('created');
			expect(rerun.items[0].json).toMatchObject({ action: 'reused', id: first.items[0].json.id });
			expect(sb.instances.size).toBe(1);
			expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(1);
		});

		it('re-authenticates the existing instance when asked, keeping its id', async () => {
			const first = await runNode(sb, {
				parameters: create(),
				items: [{ code: code(), name: 'Customer 8' }],
			});
			const again = await runNode(sb, {
				parameters: create('reauthenticate'),
				items: [{ code: code(), name: 'Customer 8' }],
			});
			expect(again.items[0].json).toMatchObject({
				action: 'reauthenticated',
				id: first.items[0].json.id,
			});
			expect(sb.instances.size).toBe(1);
		});

		it('creates another only when asked', async () => {
			await runNode(sb, { parameters: create(), items: [{ code: code(), name: 'Customer 9' }] });
			const another = await runNode(sb, {
				parameters: create('create'),
				items: [{ code: code(), name: 'Customer 9' }],
			});
			expect(another.items[0].json.action).toBe('created');
			expect(sb.instances.size).toBe(2);
		});

		it('never races two items with the same name into two instances', async () => {
			const run = await runNode(sb, {
				parameters: create(),
				items: [
					{ code: code(), name: 'Same' },
					{ code: code(), name: 'Same' },
					{ code: code(), name: 'Other' },
				],
			});
			expect(run.items.map((i) => i.json.action)).toEqual(['created', 'reused', 'created']);
			expect(sb.instances.size).toBe(2);
		});

		it('after a dropped answer, finds the instance it created instead of creating a second', async () => {
			sb.fail({ method: 'POST', path: '/instances', drop: 'after' });
			const run = await runNode(sb, {
				parameters: create(),
				items: [{ code: code(), name: 'Dropped' }],
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ action: 'created', name: 'Dropped' });
			expect(sb.instances.size).toBe(1);
			expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(1);
		});

		it('sends the create again when the connection dropped before anything happened', async () => {
			sb.fail({ method: 'POST', path: '/instances', drop: 'before' });
			const run = await runNode(sb, {
				parameters: create(),
				items: [{ code: code(), name: 'Dropped early' }],
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.action).toBe('created');
			expect(sb.instances.size).toBe(1);
			expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(2);
		});

		it('a timed-out create is looked up, not repeated', async () => {
			sb.fail({ method: 'POST', path: '/instances', delayMs: 2500 });
			const run = await runNode(sb, {
				parameters: { ...create(), requestOptions: { timeoutSeconds: 1 } },
				items: [{ code: code(), name: 'Slow' }],
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ action: 'created', name: 'Slow' });
			expect(sb.instances.size).toBe(1);
			expect(apiCalls(sb).filter((r) => r.method === 'POST')).toHaveLength(1);
		});
	});

	describe('throttling and faults', () => {
		// What the node decided to wait is read (its log, its pacer's schedule), not the wall clock.
		it('waits out a 429 with Retry-After and a 503 HTML page, then succeeds', async () => {
			sb.fail({ method: 'GET', path: '/instances', status: 429, retryAfter: 1 });
			sb.fail({ method: 'GET', path: '/instances', status: 503, html: true });
			const schedule = recordPacerSchedule();
			try {
				const run = await runNode(sb, {
					parameters: { resource: 'instance', operation: 'getAll', returnAll: true },
				});
				expect(run.error).toBeUndefined();
				expect(apiCalls(sb).map((r) => r.fault?.status ?? 'ok')).toEqual([429, 503, 'ok']);
				expect(run.logText).toMatch(/got 429; try 2 in 1000 ms/);
				expect(run.logText).toMatch(/got 503; try 3 in \d+ ms/);
				// The second try was not handed its turn before the Retry-After was over.
				expect(schedule.pauses).toEqual([{ at: schedule.turns[0], ms: 1000, turnsBefore: 1 }]);
				expect(schedule.turns[1]).toBeGreaterThanOrEqual(schedule.turns[0] + 1000);
			} finally {
				jest.restoreAllMocks();
			}
		});

		it('stops after Max Retries and says how many tries it made', async () => {
			sb.fail({ path: '/instances', status: 503, html: true, times: 10 });
			const run = await runNode(sb, {
				parameters: {
					resource: 'instance',
					operation: 'get',
					instanceId: '12345',
					requestOptions: { maxRetries: 2 },
				},
			});
			expect(run.error?.message).toMatch(/HTTP 503 .*\(after 2 retries\)/);
			expect(apiCalls(sb)).toHaveLength(3);
			expectNoSecrets(run);
		});

		it('does not wait longer than Max Retry Wait', async () => {
			sb.fail({ path: '/instances', status: 429, retryAfter: 30, times: 5 });
			const schedule = recordPacerSchedule();
			try {
				const run = await runNode(sb, {
					parameters: {
						resource: 'instance',
						operation: 'get',
						instanceId: '12345',
						requestOptions: { maxRetryWaitSeconds: 5 },
					},
				});
				expect((run.error as { httpCode?: string }).httpCode).toBe('429');
				expect(apiCalls(sb)).toHaveLength(1);
				// A 30 s Retry-After beyond the 5 s allowed: the node gives up at once, no wait is started and nobody is held.
				expect(run.logText).not.toMatch(/try 2 in/);
				expect(schedule.pauses).toEqual([]);
			} finally {
				jest.restoreAllMocks();
			}
		});

		it('retries a connection reset on a read', async () => {
			const [id] = await seed(1);
			sb.fail({ method: 'GET', path: `/instances/${id}`, drop: 'before' });
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'get', instanceId: String(id) },
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.id).toBe(id);
		});

		it('credentials from another account see nothing of this one', async () => {
			await seed(1);
			const run = await runNode(sb, {
				parameters: { resource: 'instance', operation: 'get', instanceId: '12345' },
				credentials: credentialsFor(sb, { account: { organizationSecret: 'An0ther/Org+Secret=' } }),
			});
			expect((run.error as { httpCode?: string }).httpCode).toBe('401');
			expectNoSecrets(run, ['An0ther/Org+Secret=']);
		});
	});
});

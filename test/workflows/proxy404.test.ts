/**
 * Issue case 3, for the action node: only the platform's own 404 (its JSON error with a
 * requestId) reads as "nothing found"; a gateway's 404 is an error that names what came back.
 * And Custom API Call with Return All: a 404 on the first page is the single call's error, not
 * an empty list (a misspelt path). Through n8n's engine against the stand-in.
 */
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox, type SandboxFault } from '../../sandbox';
import { apiCalls, expectNoSecrets, runNode } from '../support/infusionsoftRun';

const PROXY_404S: {
	name: string;
	fault: Pick<SandboxFault, 'status' | 'html' | 'body'>;
	says: RegExp;
}[] = [
	{
		name: 'an nginx HTML page',
		fault: { status: 404, html: true },
		says: /^HTTP 404 with an HTML page: not an answer of Cloud Elements \(a proxy or gateway\?\)/,
	},
	{
		name: 'a JSON "no Route matched"',
		fault: { status: 404, body: { message: 'no Route matched with those values' } },
		says: /^HTTP 404 with "no Route matched with those values" but no request ID: not an answer of Cloud Elements/,
	},
	{
		name: 'an empty body',
		fault: { status: 404, body: '' },
		says: /^HTTP 404 with an empty body: not an answer of Cloud Elements/,
	},
];

describe('a 404 that is not the platform’s own is an error, not "nothing found"', () => {
	let sb: Sandbox;
	const run = (parameters: IDataObject, items: IDataObject[] = [{}]) =>
		runNode(sb, { parameters, items, typeVersion: 2 });
	const byId = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });
	const httpCode = (error: unknown) => (error as { httpCode?: string } | undefined)?.httpCode;
	const description = (error: unknown) =>
		(error as { description?: string } | undefined)?.description ?? '';

	async function connect(): Promise<{ id: number; token: string }> {
		const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
		const created = await run(
			{
				resource: 'instance',
				operation: 'create',
				element: 'infusionsoftrest',
				code: '={{ $json.code }}',
				name: 'Customer',
			},
			[{ code }],
		);
		expect(created.error).toBeUndefined();
		sb.requests.length = 0;
		return created.items[0].json as { id: number; token: string };
	}

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	describe.each(PROXY_404S)('$name', ({ fault, says }) => {
		it('Instance → Get Many: an error naming what came back, not 0 items', async () => {
			sb.fail({ method: 'GET', path: /^\/instances$/, ...fault });
			const listed = await run({ resource: 'instance', operation: 'getAll', returnAll: true });
			expect(listed.items).toEqual([]);
			expect(listed.error?.message).toMatch(says);
			expect(httpCode(listed.error)).toBe('404');
			expect(description(listed.error)).toMatch(
				/Only the platform’s own 404 \(a JSON error with its requestId\) is read as "not found" or an empty list/,
			);
			expect(description(listed.error)).toMatch(/GET \/instances → HTTP 404/);
			expectNoSecrets(listed);
		});

		it('Contact → Get Many, Contact → Delete (Succeed If Already Deleted), Instance → Test Connection: an error, not empty, "already deleted" or "deleted"', async () => {
			const { id, token } = await connect();
			sb.fail({ method: 'GET', path: '/hubs/crm/contacts', ...fault });
			const contacts = await run({
				resource: 'contact',
				operation: 'getAll',
				instance: byId(id),
				returnAll: true,
			});
			expect([contacts.items, contacts.error?.message]).toEqual([[], expect.stringMatching(says)]);

			sb.fail({ method: 'DELETE', path: '/hubs/crm/contacts/7', ...fault });
			const deleted = await run({
				resource: 'contact',
				operation: 'delete',
				instance: byId(id),
				contactId: '7',
				ignoreMissing: true,
			});
			expect([deleted.items, deleted.error?.message]).toEqual([[], expect.stringMatching(says)]);

			sb.fail({ method: 'GET', path: `/instances/${id}`, ...fault });
			const tested = await run({
				resource: 'instance',
				operation: 'testConnection',
				instance: byId(id),
			});
			expect([tested.items, tested.error?.message]).toEqual([[], expect.stringMatching(says)]);
			for (const r of [contacts, deleted, tested]) expectNoSecrets(r, [token]);
		});

		it('Instance → Get and a contact read through the instance: what came back, not "was it deleted?"', async () => {
			const { id, token } = await connect();
			sb.fail({ method: 'GET', path: `/instances/${id}`, ...fault, times: 2 });
			const got = await run({ resource: 'instance', operation: 'get', instanceId: String(id) });
			const contact = await run({
				resource: 'contact',
				operation: 'get',
				instance: byId(id),
				contactId: '7',
			});
			for (const r of [got, contact]) {
				expect(r.error?.message).toMatch(says);
				expect(r.error?.message).not.toMatch(/deleted/);
				expectNoSecrets(r, [token]);
			}
		});
	});

	it('the platform’s own 404 still reads as nothing found: Get Many answers 0 items, Delete "already deleted"', async () => {
		const listed = await run({ resource: 'instance', operation: 'getAll', returnAll: true });
		expect(listed.error).toBeUndefined();
		expect(listed.items).toEqual([]);
		const { id } = await connect();
		const deleted = await run({
			resource: 'contact',
			operation: 'delete',
			instance: byId(id),
			contactId: '7',
			ignoreMissing: true,
		});
		expect(deleted.items.map((i) => i.json)).toEqual([
			{ id: 7, deleted: true, alreadyDeleted: true },
		]);
	});

	describe('Custom API Call with Return All', () => {
		it('a misspelt path fails with the single call’s error, not 0 items', async () => {
			const { id, token } = await connect();
			const request = {
				resource: 'customApiCall',
				operation: 'request',
				instance: byId(id),
				method: 'GET',
				path: '/contcts',
			};
			const single = await run(request);
			const all = await run({ ...request, returnAll: true });
			expect(single.error?.message).toBe(
				'Cloud Elements: No resource contcts for infusionsoftrest',
			);
			expect(all.items).toEqual([]);
			expect(all.error?.message).toBe(single.error?.message);
			expect(httpCode(all.error)).toBe('404');
			expect(description(all.error)).toMatch(/GET \/hubs\/crm\/contcts → HTTP 404$/);
			expectNoSecrets(all, [token]);
		});

		it('a later page’s 404 still ends the list (a full last page gets a token to an empty page)', async () => {
			const { id } = await connect();
			sb.seedRecords(
				id,
				'contacts',
				Array.from({ length: 200 }, (_, i) => ({ given_name: `C${i}` })),
			);
			const all = await run({
				resource: 'customApiCall',
				operation: 'request',
				instance: byId(id),
				method: 'GET',
				path: '/contacts',
				returnAll: true,
			});
			expect(all.error).toBeUndefined();
			expect(all.items).toHaveLength(200);
			expect(apiCalls(sb).filter((r) => r.path.endsWith('/hubs/crm/contacts'))).toHaveLength(2);
		});
	});
});

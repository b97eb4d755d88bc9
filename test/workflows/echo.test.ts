/**
 * A 2xx answer that repeats what the call carried (a debugging proxy, a platform bug): the
 * node outputs what came back, and the router's redaction is all that stands between the
 * Authorization header (the account's secrets and the instance token) and the output.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { expectNoSecrets, runNode } from '../support/infusionsoftRun';

describe('a 2xx answer that echoes the request', () => {
	let sb: Sandbox;
	const run = (parameters: IDataObject) => runNode(sb, { parameters, typeVersion: 2 });

	async function connect(): Promise<{ id: number; token: string }> {
		const code = sb.issueCode({ clientId: EXAMPLE.clientId, callbackUrl: EXAMPLE.callbackUrl });
		const created = await runNode(sb, {
			parameters: {
				resource: 'instance',
				operation: 'create',
				element: 'infusionsoftrest',
				code,
				name: 'Ann',
			},
			typeVersion: 2,
		});
		return created.items[0].json as { id: number; token: string };
	}
	const byId = (id: number) => ({ __rl: true, mode: 'id', value: String(id) });

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());
	beforeEach(() => sb.reset());

	it.each([
		[
			'Contact → Get',
			{ resource: 'contact', operation: 'get', contactId: '1' },
			/^\/hubs\/crm\/contacts\/1$/,
		],
		[
			'Custom API Call → GET',
			{ resource: 'customApiCall', operation: 'request', method: 'GET', path: '/tags' },
			/^\/hubs\/crm\/tags$/,
		],
	])('%s: the output holds the echo, and no secret or token', async (_, parameters, path) => {
		const { id, token } = await connect();
		sb.fail({ method: 'GET', path, status: 200, echoRequest: true });
		const result = await run({ ...parameters, instance: byId(id) });
		expect(result.error).toBeUndefined();
		// The echo did arrive: the output is made of it.
		expect(JSON.stringify(result.items[0].json)).toContain('Echoed: User ');
		expectNoSecrets(result, [token]);
	});
});

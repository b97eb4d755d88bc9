import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { mintState } from '../../lib/security/state';
import { EXAMPLE, startSandbox, type Sandbox } from '../../sandbox';
import { apiCalls, expectNoSecrets, runNode } from '../support/infusionsoftRun';

describe('Parse Callback with only the app credential', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => sb.close());

	const signed = (context: unknown, now = Date.now()) =>
		mintState({
			clientId: EXAMPLE.clientId,
			clientSecret: EXAMPLE.clientSecret,
			context: context as never,
			now,
		}).state;

	it('needs no Cloud Elements account and calls no platform', async () => {
		const state = signed({ customerId: 42 });
		const run = await runNode(sb, {
			parameters: { resource: 'oauth', operation: 'parseCallback', callback: '={{ $json.url }}' },
			items: [
				{ url: `${EXAMPLE.callbackUrl}?code=abc-123-code&state=${encodeURIComponent(state)}` },
			],
			nodeCredentials: ['infusionsoftCrmOAuth2Api'],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ code: 'abc-123-code', context: { customerId: 42 } });
		expect(apiCalls(sb)).toHaveLength(0);
	});

	it('with Continue On Fail, gives the refusal reason as a field to route on', async () => {
		const expired = signed('x', Date.now() - 60 * 60 * 1000);
		const [prefix, payload, signature] = signed('z').split('.');
		const tampered = `${prefix}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
		const run = await runNode(sb, {
			parameters: { resource: 'oauth', operation: 'parseCallback', callback: '={{ $json.query }}' },
			items: [
				{
					query: {
						error: 'access_denied',
						error_description: 'The user denied access',
						state: signed('y'),
					},
				},
				{ query: { code: 'secret-code-1', state: expired } },
				{ query: { code: 'secret-code-2', state: tampered } },
			],
			continueOnFail: true,
			nodeCredentials: ['infusionsoftCrmOAuth2Api'],
		});
		expect(run.items.map((i) => i.json.reason)).toEqual(['denied', 'expired', 'bad-signature']);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expectNoSecrets(run, ['secret-code-1', 'secret-code-2']);
	});
});

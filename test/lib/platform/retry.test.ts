import fc from 'fast-check';

import { authorizationHeader } from '../../../lib/security/account';
import { Redactor } from '../../../lib/security/redact';
import { listInstances } from '../../../lib/platform/instances';
import { MAX_PAGES } from '../../../lib/platform/paging';
import { backoffMs, retryAfterMs } from '../../../lib/platform/answers';
import { CloudElementsTransport } from '../../../lib/platform/cloudElements';
import { readProviderMessage } from '../../../lib/platform/errors';
import { buildUrl } from '../../../lib/platform/request';

describe('transport helpers', () => {
	it('builds the Authorization header with secrets as they are sent (CR/LF and outer spaces go, as n8n sends them)', () => {
		expect(authorizationHeader({ userSecret: 'u/+=', organizationSecret: 'o+/=' })).toBe(
			'User u/+=, Organization o+/=',
		);
		expect(authorizationHeader({ userSecret: ' u/+=\n', organizationSecret: 'o+/=\r\n ' })).toBe(
			'User u/+=, Organization o+/=',
		);
		expect(authorizationHeader({ userSecret: 'u', organizationSecret: 'o' }, 'T/k=')).toBe(
			'User u, Organization o, Element T/k=',
		);
	});

	it('encodes query values, repeats lists and leaves out empty values', () => {
		expect(
			buildUrl('https://h/elements/api-v2', '/instances', {
				'tags[]': ['a b', 'c'],
				searchText: '',
				pageSize: 5,
				nextPage: undefined,
				apiSecret: 's/+=',
			}),
		).toBe(
			'https://h/elements/api-v2/instances?tags%5B%5D=a+b&tags%5B%5D=c&pageSize=5&apiSecret=s%2F%2B%3D',
		);
	});

	it('backs off exponentially with jitter and a ceiling', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 30 }),
				fc.double({ min: 0, max: 0.999999, noNaN: true }),
				(attempt, r) => {
					const ceiling = Math.min(30_000, 500 * 2 ** attempt);
					const ms = backoffMs(attempt, () => r);
					return ms >= ceiling / 2 - 1 && ms <= ceiling;
				},
			),
		);
		expect(backoffMs(0, () => 0)).toBe(250);
		expect(backoffMs(3, () => 1)).toBe(4000);
	});

	it('reads Retry-After as seconds or as a date', () => {
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs('0')).toBe(0);
		expect(retryAfterMs('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(retryAfterMs(undefined)).toBeUndefined();
		expect(retryAfterMs('soon')).toBeUndefined();
		// A negative wait is no instruction: the backoff applies instead of an immediate retry.
		expect(retryAfterMs('-5')).toBeUndefined();
	});

	it('reads Infusionsoft’s OAuth error out of the provider message', () => {
		expect(
			readProviderMessage(
				'{"error":"invalid_grant","error_description":"Invalid authorization code"}',
			),
		).toBe('invalid_grant: Invalid authorization code');
		expect(readProviderMessage({ error: 'invalid_client' })).toBe('invalid_client');
		expect(readProviderMessage('Plain text')).toBe('Plain text');
		expect(readProviderMessage(['a'])).toBe('["a"]');
		expect(readProviderMessage('')).toBeUndefined();
	});
});

describe('paging and the retry policy', () => {
	const node = {
		id: '1',
		name: 'Infusionsoft CRM',
		type: 'infusionsoftCrm',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const account = {
		apiRoot: 'https://platform.example/elements/api-v2',
		userSecret: 'user-secret-1',
		organizationSecret: 'org-secret-1',
	};

	/** A transport whose HTTP helper answers from a script, as n8n's helper returns full responses. */
	function scripted(
		answers: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>,
		maxWaitMs: number,
	) {
		const calls: string[] = [];
		const ctx = {
			getNode: () => node,
			logger: { debug: () => undefined },
			helpers: {
				httpRequest: async (options: { url: string }) => {
					calls.push(options.url);
					const next = answers.shift();
					if (!next) throw new Error('the script ran out');
					return {
						statusCode: next.status,
						body: next.body === undefined ? '' : JSON.stringify(next.body),
						headers: next.headers ?? {},
					};
				},
			},
		};
		const transport = new CloudElementsTransport(ctx as never, account, {
			maxRetries: 4,
			maxWaitMs,
			timeoutMs: 5000,
		});
		return { platform: transport.forItem(0, new Redactor([])), calls };
	}
	const page = (ids: number[], token?: string) => ({
		status: 200,
		body: ids.map((id) => ({ id, name: `i${id}`, element: { key: 'infusionsoftcrm' } })),
		headers: token ? { 'elements-next-page-token': token } : {},
	});
	const throttled = {
		status: 429,
		body: { message: 'slow down' },
		headers: { 'retry-after': '0.3' },
	};

	it('the pages of one listing share one Max Retry Wait', async () => {
		const { platform, calls } = scripted(
			[throttled, page([1], 'a'), throttled, page([2], 'b'), throttled, page([3])],
			500,
		);
		await expect(listInstances(platform, {}, undefined)).rejects.toThrow(
			'Cloud Elements: slow down',
		);
		// 0.3 s + 0.3 s do not fit a 0.5 s budget: the second page's throttle ends the listing.
		expect(calls).toHaveLength(3);
	});

	it('with room in the budget, every page is read', async () => {
		const { platform } = scripted(
			[throttled, page([1], 'a'), throttled, page([2], 'b'), page([3])],
			1000,
		);
		expect((await listInstances(platform, {}, undefined)).map((i) => i.id)).toEqual([1, 2, 3]);
	});

	it('a repeated token ends the listing with an error instead of looping', async () => {
		const { platform, calls } = scripted(
			[page([1], 'same'), page([2], 'same'), page([3], 'same')],
			1000,
		);
		await expect(listInstances(platform, {}, undefined)).rejects.toThrow(
			'Cloud Elements kept handing out pages of instances it had already sent',
		);
		expect(calls).toHaveLength(2);
	});

	it(`stops after ${MAX_PAGES} pages`, async () => {
		const answers = Array.from({ length: MAX_PAGES + 5 }, (_, i) => page([i + 1], `t${i}`));
		const { platform, calls } = scripted(answers, 1000);
		await expect(listInstances(platform, {}, undefined)).rejects.toThrow(
			`Cloud Elements has more than ${MAX_PAGES} pages of instances`,
		);
		expect(calls).toHaveLength(MAX_PAGES);
	});
});

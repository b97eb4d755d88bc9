import fc from 'fast-check';

import { authorizationHeader } from '../../../nodes/InfusionsoftCrm/shared/account';
import {
	backoffMs,
	buildUrl,
	readProviderMessage,
	retryAfterMs,
} from '../../../nodes/InfusionsoftCrm/transport/cloudElements';

describe('transport helpers', () => {
	it('builds the Authorization header with secrets as they are sent (CR/LF and outer spaces go, as n8n sends them)', () => {
		expect(authorizationHeader({ userSecret: 'u/+=', organizationSecret: 'o+/=' })).toBe('User u/+=, Organization o+/=');
		expect(authorizationHeader({ userSecret: ' u/+=\n', organizationSecret: 'o+/=\r\n ' })).toBe('User u/+=, Organization o+/=');
		expect(authorizationHeader({ userSecret: 'u', organizationSecret: 'o' }, 'T/k=')).toBe('User u, Organization o, Element T/k=');
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
		).toBe('https://h/elements/api-v2/instances?tags%5B%5D=a+b&tags%5B%5D=c&pageSize=5&apiSecret=s%2F%2B%3D');
	});

	it('backs off exponentially with jitter and a ceiling', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
				const ceiling = Math.min(30_000, 500 * 2 ** attempt);
				const ms = backoffMs(attempt, () => r);
				return ms >= ceiling / 2 - 1 && ms <= ceiling;
			}),
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
		expect(readProviderMessage('{"error":"invalid_grant","error_description":"Invalid authorization code"}')).toBe(
			'invalid_grant: Invalid authorization code',
		);
		expect(readProviderMessage({ error: 'invalid_client' })).toBe('invalid_client');
		expect(readProviderMessage('Plain text')).toBe('Plain text');
		expect(readProviderMessage(['a'])).toBe('["a"]');
		expect(readProviderMessage('')).toBeUndefined();
	});
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
	checkCallback,
	readCallback,
	withoutCode,
	type CallbackCheckOptions,
} from '../../../lib/security/callback';
import { mintState } from '../../../lib/security/state';

const APP = { clientId: 'example4ynetc9z7v6vajwvkw', clientSecret: 'cL1ent/Secret+Example=' };
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const CODE = 'c0de-Abc123_xyz';
const signed = (context: unknown = 'customer-42', now = NOW) =>
	mintState({ ...APP, context, now }).state;

const options = (extra: Partial<CallbackCheckOptions> = {}): CallbackCheckOptions => ({
	stateCheck: 'signed',
	app: APP,
	maxAgeSeconds: 600,
	now: NOW,
	...extra,
});

describe('readCallback', () => {
	it('reads a full URL, a path with a query, a bare ?query and a query without "?"', () => {
		const state = signed();
		const query = { code: CODE, state };
		const search = new URLSearchParams(query).toString();
		for (const input of [
			`https://n8n.example.com/webhook/infusionsoft-crm/callback?${search}`,
			`  https://n8n.example.com/webhook/x?${search}#fragment  `,
			`/webhook/infusionsoft-crm/callback?${search}`,
			`?${search}`,
			search,
		]) {
			expect(readCallback(input)).toEqual({ ok: true, query });
		}
	});

	it('takes a query object as it is, and keeps repeated keys as lists', () => {
		expect(readCallback({ code: CODE, state: 's' })).toEqual({
			ok: true,
			query: { code: CODE, state: 's' },
		});
		expect(readCallback('?code=a&code=b&state=s')).toEqual({
			ok: true,
			query: { code: ['a', 'b'], state: 's' },
		});
	});

	it('ignores __proto__ and inherited properties', () => {
		const read = readCallback('?__proto__=a&__proto__=b&code=c');
		expect(read).toEqual({ ok: true, query: { code: 'c' } });
		expect(Object.getPrototypeOf((read as { query: object }).query)).toBe(Object.prototype);
		const inherited = Object.create({ code: CODE, state: signed() }) as Record<string, unknown>;
		expect(checkCallback(inherited, options())).toMatchObject({ ok: false, reason: 'no-code' });
	});

	it('explains what it cannot read', () => {
		expect(readCallback('')).toMatchObject({ ok: false, message: 'The callback is empty' });
		expect(readCallback('https://n8n.example.com/webhook/x')).toMatchObject({
			ok: false,
			message: expect.stringMatching(/no query/),
		});
		expect(readCallback(42)).toMatchObject({
			ok: false,
			message: expect.stringMatching(/URL, a query string or a query object/),
		});
		expect(readCallback(['code=a'])).toMatchObject({ ok: false });
		expect(readCallback('?'.padEnd(20_000, 'a'))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/longer than/),
		});
	});
});

describe('checkCallback', () => {
	it('a code with a good signed state: the code, the context and the issue time', () => {
		const state = signed({ customerId: 42 });
		expect(checkCallback({ code: CODE, state, scope: 'full' }, options())).toEqual({
			ok: true,
			code: CODE,
			element: null,
			state,
			context: { customerId: 42 },
			issuedAt: new Date(NOW).toISOString(),
		});
	});

	it('checks error before code: a denial with a code is still a denial', () => {
		const result = checkCallback(
			{
				error: 'access_denied',
				error_description: 'The user denied access',
				code: CODE,
				state: signed(),
			},
			options(),
		);
		expect(result).toEqual({
			ok: false,
			reason: 'denied',
			message: 'The user did not grant access (access_denied)',
			error: 'access_denied',
			errorDescription: 'The user denied access',
			context: 'customer-42',
			issuedAt: new Date(NOW).toISOString(),
		});
	});

	it('a denial with a bad state: still denied, no context, and the message says the state is not valid', () => {
		const result = checkCallback({ error: 'access_denied', state: 'forged' }, options());
		expect(result).toMatchObject({ ok: false, reason: 'denied', error: 'access_denied' });
		expect(result).not.toHaveProperty('context');
		if (!result.ok)
			expect(result.message).toMatch(/the state is not valid: The state is not a signed state/);
	});

	it('refuses a forged, expired, future and other-app state with its reason', () => {
		const forged = signed().slice(0, -3) + 'AAA';
		expect(checkCallback({ code: CODE, state: forged }, options())).toMatchObject({
			ok: false,
			reason: 'bad-signature',
		});
		expect(
			checkCallback({ code: CODE, state: signed('c', NOW - 601_000) }, options()),
		).toMatchObject({
			ok: false,
			reason: 'expired',
		});
		expect(
			checkCallback({ code: CODE, state: signed('c', NOW + 120_000) }, options()),
		).toMatchObject({
			ok: false,
			reason: 'from-the-future',
		});
		const foreign = mintState({
			clientId: 'another-app',
			clientSecret: 'another/secret',
			now: NOW,
		}).state;
		expect(checkCallback({ code: CODE, state: foreign }, options())).toMatchObject({
			ok: false,
			reason: 'other-app',
		});
		expect(checkCallback({ code: CODE, state: 'customer-42' }, options())).toMatchObject({
			ok: false,
			reason: 'malformed',
		});
		expect(checkCallback({ code: CODE }, options())).toMatchObject({
			ok: false,
			reason: 'no-state',
		});
	});

	it('no code and no error; a repeated code or state', () => {
		expect(checkCallback({ state: signed() }, options())).toMatchObject({
			ok: false,
			reason: 'no-code',
		});
		expect(checkCallback({ code: '', state: signed() }, options())).toMatchObject({
			ok: false,
			reason: 'no-code',
		});
		expect(checkCallback({ code: [CODE, 'other'], state: signed() }, options())).toMatchObject({
			ok: false,
			reason: 'bad-callback',
			message: 'The callback has more than one code',
		});
		expect(checkCallback({ code: CODE, state: [signed(), signed()] }, options())).toMatchObject({
			ok: false,
			reason: 'bad-callback',
		});
		expect(checkCallback({ code: { nested: CODE }, state: signed() }, options())).toMatchObject({
			reason: 'bad-callback',
		});
	});

	it('Expect Exact Value: the custom state must match', () => {
		const exact = options({ stateCheck: 'exact', expectedState: 'customer-42', app: undefined });
		expect(checkCallback({ code: CODE, state: 'customer-42' }, exact)).toEqual({
			ok: true,
			code: CODE,
			state: 'customer-42',
			context: null,
			element: null,
			issuedAt: null,
		});
		expect(checkCallback({ code: CODE, state: 'customer-43' }, exact)).toMatchObject({
			reason: 'state-mismatch',
		});
		expect(checkCallback({ code: CODE }, exact)).toMatchObject({ reason: 'no-state' });
	});

	it('None: any state or none at all', () => {
		const none = options({ stateCheck: 'none', app: undefined });
		expect(checkCallback({ code: CODE }, none)).toEqual({
			ok: true,
			code: CODE,
			state: null,
			context: null,
			element: null,
			issuedAt: null,
		});
		expect(checkCallback({ code: CODE, state: 'x' }, none)).toMatchObject({ ok: true, state: 'x' });
		expect(checkCallback({ error: 'access_denied' }, none)).toMatchObject({
			reason: 'denied',
			message: 'The user did not grant access (access_denied)',
		});
	});

	it('clips a long error description', () => {
		const result = checkCallback(
			{ error: 'access_denied', error_description: 'x'.repeat(5000) },
			options({ stateCheck: 'none' }),
		);
		if (result.ok) throw new Error('expected a refusal');
		expect(result.errorDescription).toHaveLength(501);
	});

	it('property: never throws, and a refusal never carries the code or the state in its message', () => {
		const value = fc.oneof(fc.constant(undefined), fc.string(), fc.array(fc.string()), fc.object());
		fc.assert(
			fc.property(
				fc.record(
					{ code: value, state: value, error: value, error_description: value },
					{ requiredKeys: [] },
				),
				fc.constantFrom<CallbackCheckOptions['stateCheck']>('signed', 'exact', 'none'),
				(query, stateCheck) => {
					const result = checkCallback(
						query,
						options({ stateCheck, expectedState: 'expected-state-value' }),
					);
					if (result.ok) return;
					for (const secret of [query.code, query.state]) {
						if (typeof secret === 'string' && secret.length >= 6)
							expect(result.message).not.toContain(secret);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('withoutCode drops only the code', () => {
		expect(withoutCode({ code: CODE, state: 's', scope: 'full' })).toEqual({
			state: 's',
			scope: 'full',
		});
	});
});
